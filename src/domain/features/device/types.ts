/** A customer's device data as featurization reads it: synced, deduplicated, SMS already parsed. */
import type { ParsedSms } from '../sms/types.js';

export interface SmsFact {
  /** Epoch milliseconds the message was received on the device. */
  time: number;
  sender: string;
  parsed: ParsedSms;
}

export interface InstalledApp {
  package: string;
  name?: string | undefined;
  firstInstallTime: number;
  lastUpdateTime?: number | undefined;
}

export type CallType = 'incoming' | 'outgoing' | 'missed' | 'rejected';

export interface CallEntry {
  type: CallType;
  /** Seconds. */
  duration: number;
  time: number;
  /** The number as the device hashed it: only told apart, never read. */
  number: string;
}

export interface DeviceInfo {
  model?: string | undefined;
  brand?: string | undefined;
  os?: string | undefined;
  osVersion?: string | undefined;
  ramMb?: number | undefined;
  storageMb?: number | undefined;
  rooted?: boolean | undefined;
}

export interface LocationFix {
  lat: number;
  lon: number;
  time: number;
  accuracy?: number | undefined;
  /** The OS reported the fix as coming from a mock provider. */
  mock?: boolean | undefined;
}

export interface DeviceSnapshot {
  /** The moment the predictors describe: the time of the latest sync (so they are reproducible). */
  asOf: number;
  sms: readonly SmsFact[];
  apps: readonly InstalledApp[];
  calls: readonly CallEntry[];
  contacts: number | null;
  device: DeviceInfo | null;
  locations: readonly LocationFix[];
  permissions: readonly string[];
}

/** True when there is nothing to describe the customer by (the `no_data` status). */
export function isEmptySnapshot(s: DeviceSnapshot): boolean {
  return s.sms.length === 0 && s.apps.length === 0 && s.calls.length === 0;
}
