/** The tables of device data and the DeviceConnect dialect (migration 0006_finbox). */
import type { Selectable } from 'kysely';

export interface FinboxServerKeyTable {
  api_key_id: string;
  tenant_id: string;
  /** Encrypted. */
  server_hash: string;
  /** JSON array of CIDR blocks, or null for every address. */
  ip_allow: string | null;
  /** Encrypted, or null. */
  webhook_url: string | null;
  created_at: string;
}

export interface DeviceBatchTable {
  tenant_id: string;
  subject_id: string;
  batch_id: string;
  /** Time-ordered: the customer's data watermark once this batch is stored. */
  seq: string;
  /** JSON: what the batch stored (the answer to a repeated batch id). */
  summary: string;
  received_at: string;
}

export interface DeviceSmsTable {
  tenant_id: string;
  subject_id: string;
  id: string;
  /** Keyed hash of sender, time and body: the same message synced twice is stored once. */
  fingerprint: string;
  /** Encrypted JSON: the time, sender and what the parser read. */
  fact: string;
  /** Encrypted raw text; null once its retention passed. */
  body: string | null;
  body_expires_at: string | null;
  created_at: string;
}

export interface DeviceStateTable {
  tenant_id: string;
  subject_id: string;
  watermark: string;
  as_of: string;
  updated_at: string;
}

export interface DevicePredictorsTable {
  tenant_id: string;
  subject_id: string;
  watermark: string;
  version: number;
  /** complete | no_data */
  status: string;
  /** Encrypted JSON `[{name, value}]`, null for no_data. */
  predictors: string | null;
  processed_at: string;
}

export interface FinboxNoticeTable {
  tenant_id: string;
  subject_id: string;
  request_id: string;
  api_key_id: string;
  watermark: string;
  created_at: string;
}

export interface DeviceTables {
  finbox_server_keys: FinboxServerKeyTable;
  device_batches: DeviceBatchTable;
  device_sms: DeviceSmsTable;
  device_state: DeviceStateTable;
  device_predictors: DevicePredictorsTable;
  finbox_notices: FinboxNoticeTable;
}

export type FinboxServerKeyRow = Selectable<FinboxServerKeyTable>;
export type DeviceSmsRow = Selectable<DeviceSmsTable>;
export type DevicePredictorsRow = Selectable<DevicePredictorsTable>;
