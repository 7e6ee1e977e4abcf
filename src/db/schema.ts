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

/** A partner account of the credit-indicator API (TD dialect), belonging to a tenant's client. */
export interface PartnerTable {
  id: string;
  tenant_id: string;
  client_id: string;
  /** `partner_code`: public, unique. */
  code: string;
  /** SHA-256 of `partner_key`, hex; the key itself is shown once and never stored. */
  key_hash: string;
  key_start: string;
  /** JSON array of the ISO 3166 countries the partner is served in. */
  countries: string;
  /** Prepaid balance in ten-thousandths of the account's currency unit; never negative. */
  balance: number;
  created_at: string;
  key_created_at: string;
  disabled_at: string | null;
}

export interface PartnerPackageTable {
  partner_id: string;
  package: string;
  /** Price of one successful call, in ten-thousandths. */
  price: number;
  /** active | suspended */
  status: string;
  /** The package works from this time (null: from purchase). */
  starts_at: string | null;
  /** The package works until this time, exclusive (null: no end). */
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Every movement of a partner's balance: top-ups (+) and charges (-). */
export interface PartnerLedgerTable {
  id: string;
  partner_id: string;
  /** topup | charge */
  kind: string;
  amount: number;
  balance_after: number;
  /** The call charged, for a charge. */
  sequence_id: string | null;
  actor: string;
  created_at: string;
}

/** Every call to the credit-indicator API, successful or not. */
export interface PartnerCallTable {
  /** 32 hex digits, returned to the caller as `sequence_id`. */
  sequence_id: string;
  /** Null when the call's credentials were missing or wrong. */
  partner_id: string | null;
  package: string | null;
  country: string | null;
  /** The response code (200, 300-304, 9xxx). */
  code: number;
  message: string;
  /** What the call cost, in ten-thousandths: 0 unless it succeeded. */
  charged: number;
  /** Held only by charged calls, so that a retry with the same key is charged once. */
  idempotency_key: string | null;
  request_hash: string | null;
  subject_id: string | null;
  request_id: string | null;
  /** The indicators of a charged call with an idempotency key, encrypted, to replay to a retry. */
  response: string | null;
  created_at: string;
}

export interface ConsortiumMemberTable {
  tenant_id: string;
  joined_at: string;
}

/** A loan application shared in the consortium. Never shown: only counted. */
export interface ConsortiumApplicationTable {
  id: string;
  /** The tenant that recorded it. */
  platform_id: string;
  /** The app the person applied through, normalised. */
  app: string;
  /** The tenant's own id for the application, so that it can report later states. */
  external_id: string | null;
  /** The credit-indicator call that recorded it, if one did: another way to report its later states. */
  sequence_id: string | null;
  /** Consortium HMAC of `<country>:<national id>`. */
  id_hash: string | null;
  /** Consortium HMAC of the E.164 phone number. */
  phone_hash: string | null;
  /** submitted | approved | declined */
  status: string;
  applied_at: string;
  decided_at: string | null;
  /** current | paid | arrears | default | written_off */
  loan_status: string | null;
  loan_days_past_due: number | null;
  loan_observed_at: string | null;
  /** td | api */
  source: string;
  created_at: string;
  updated_at: string;
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
  partners: PartnerTable;
  partner_packages: PartnerPackageTable;
  partner_ledger: PartnerLedgerTable;
  partner_calls: PartnerCallTable;
  consortium_members: ConsortiumMemberTable;
  consortium_applications: ConsortiumApplicationTable;
}

export type TenantRow = Selectable<TenantTable>;
export type ClientRow = Selectable<ClientTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type SubjectRow = Selectable<SubjectTable>;
export type ModelRow = Selectable<ModelTable>;
export type ScoreRunRow = Selectable<ScoreRunTable>;
export type OutcomeRow = Selectable<OutcomeTable>;
export type NewScoreRun = Insertable<ScoreRunTable>;
export type PartnerRow = Selectable<PartnerTable>;
export type PartnerPackageRow = Selectable<PartnerPackageTable>;
export type PartnerLedgerRow = Selectable<PartnerLedgerTable>;
export type PartnerCallRow = Selectable<PartnerCallTable>;
export type ConsortiumApplicationRow = Selectable<ConsortiumApplicationTable>;
