/**
 * The database schema as TypeScript types. Timestamps are ISO 8601 UTC text (sortable on both
 * engines), JSON is text, booleans are 0/1 integers: one representation for SQLite and PostgreSQL.
 */
import type { Insertable, Selectable } from 'kysely';

export interface TenantTable {
  id: string;
  name: string;
  created_at: string;
  disabled_at: string | null;
}

export interface ClientTable {
  id: string;
  tenant_id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: string;
  tenant_id: string;
  client_id: string;
  /** The credential type: `server` keys call the APIs; other types come with their dialects. */
  type: string;
  name: string | null;
  /** The first characters of the key, safe to show, to tell keys apart. */
  start: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface SubjectTable {
  id: string;
  tenant_id: string;
  /** The tenant's own id for the person (Cladfy `client_id`, FriendlyScore `partner-id`). */
  partner_id: string;
  created_at: string;
  updated_at: string;
}

export interface SubjectIdentifierTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  /** phone | national_id | email | device_customer_id */
  kind: string;
  /** Keyed HMAC of the normalised value, for lookups. */
  blind_index: string;
  /** AES-256-GCM ciphertext of the normalised value. */
  ciphertext: string;
  created_at: string;
}

export interface ModelTable {
  id: string;
  /** Null for the starter models every tenant may use. */
  tenant_id: string | null;
  service: string;
  version: number;
  name: string;
  /** SHA-256 of the canonical document. */
  checksum: string;
  document: string;
  /** starter | upload | import | train */
  source: string;
  created_at: string;
}

export interface ActiveModelTable {
  /** A tenant id, or `*` for the default every tenant falls back to. */
  scope: string;
  service: string;
  /** champion | challenger */
  role: string;
  model_id: string;
  activated_at: string;
}

export interface ScoreRunTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  service: string;
  dialect: string;
  model_id: string | null;
  model_version: number | null;
  request_id: string | null;
  /** AES-256-GCM ciphertext of the request as received. */
  input: string;
  /** JSON of the result. */
  result: string;
  created_at: string;
  /** The challenger scored in shadow for the same input, if the tenant had one; never shown to the caller. */
  challenger_model_id: string | null;
  challenger_model_version: number | null;
  /** JSON of the challenger's result, stored as compactly as `result`. */
  challenger_result: string | null;
}

export interface IdempotencyKeyTable {
  tenant_id: string;
  key: string;
  request_hash: string;
  /** Null while the first request is still running. */
  status_code: number | null;
  response_body: string | null;
  content_type: string | null;
  created_at: string;
}

export interface OutcomeTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  /** loan | application | feedback */
  kind: string;
  loan_id: string | null;
  /**
   * loan: current | paid | arrears | default | written_off; application: accepted | declined |
   * drop_off; feedback: positive | negative.
   */
  status: string;
  days_past_due: number | null;
  amount: number | null;
  amount_overdue: number | null;
  paid_capital: number | null;
  currency: string | null;
  term_days: number | null;
  /** 0/1, or null when unknown. */
  installment: number | null;
  /** When the outcome was observed (ISO 8601). */
  observed_at: string;
  /** api | import | friendlyscore | ... */
  source: string;
  /** The caller's id for this record, unique per tenant, so a re-sent record is stored once. */
  external_id: string | null;
  /** JSON; never personal data. */
  details: string;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string | null;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON; never personal data. */
  details: string;
  created_at: string;
}

export interface Database {
  tenants: TenantTable;
  clients: ClientTable;
  api_keys: ApiKeyTable;
  subjects: SubjectTable;
  subject_identifiers: SubjectIdentifierTable;
  models: ModelTable;
  active_models: ActiveModelTable;
  score_runs: ScoreRunTable;
  idempotency_keys: IdempotencyKeyTable;
  outcomes: OutcomeTable;
  audit_log: AuditLogTable;
}

export type TenantRow = Selectable<TenantTable>;
export type ClientRow = Selectable<ClientTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type SubjectRow = Selectable<SubjectTable>;
export type ModelRow = Selectable<ModelTable>;
export type ScoreRunRow = Selectable<ScoreRunTable>;
export type OutcomeRow = Selectable<OutcomeTable>;
export type NewScoreRun = Insertable<ScoreRunTable>;
