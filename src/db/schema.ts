/**
 * The database schema as TypeScript types. Timestamps are ISO 8601 UTC text (sortable on both
 * engines), JSON is text, booleans are 0/1 integers: one representation for SQLite and PostgreSQL.
 */
import type { Insertable, Selectable } from 'kysely';
import type { DeviceTables } from './schema-device.js';

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
  /** JSON array of CIDR blocks the key may call from; null for every address. */
  ip_allow: string | null;
  /** Requests per second this key may make; null for no per-key limit. */
  rate_limit: number | null;
}

/** Operator credentials: not bound to a tenant, they manage all of them (migration 0010_console). */
export interface AdminKeyTable {
  id: string;
  name: string | null;
  start: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  created_at: string;
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
  /** The purpose the caller declared for the score (a `dpv:` scope of its CAMARA token), if any. */
  purpose: string | null;
}

/** One value sealed under the secret key, checked at every start (src/security/secret-check.ts). */
export interface SecretCheckTable {
  id: string;
  sealed: string;
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
  /**
   * The subject (or telco subscriber) the kept response is about, when it holds what was said about
   * one; erased with it.
   */
  subject_id: string | null;
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

export interface JobTable {
  id: string;
  /** The handler's name, e.g. `friendlyscore.score` or `webhook.deliver`. */
  name: string;
  /** queued | running | completed | failed | cancelled */
  status: string;
  /** JSON; never personal data beyond ids. */
  payload: string;
  /** Enqueueing the same (name, key) again returns the job already there. */
  dedupe_key: string | null;
  tenant_id: string | null;
  /** Set for jobs about one subject, so that erasing the subject cancels them. */
  subject_id: string | null;
  attempts: number;
  max_attempts: number;
  /** When the job may run next (ISO 8601). */
  run_at: string;
  locked_by: string | null;
  /** A running job whose lock is past this time is taken again (the visibility timeout). */
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface OAuthClientTable {
  /** The public client_id. */
  id: string;
  tenant_id: string;
  /** The tenant's client (application) this OAuth client belongs to. */
  client_id: string;
  name: string | null;
  secret_start: string;
  /** SHA-256 of the client secret, hex. */
  secret_hash: string;
  /** JSON array of grant types. */
  grants: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  /** JSON JWK Set of the public keys its client assertions are signed with (private_key_jwt). */
  jwks: string | null;
  /** The algorithm its ID tokens are signed with (`id_token_signed_response_alg`); null: RS256. */
  id_token_alg: string | null;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  /** JSON Web Key, public part. */
  public_jwk: string;
  /** The private JWK, encrypted with the PII cipher. */
  private_jwk: string;
  created_at: string;
  /** New tokens are signed with the newest key still before this time. */
  sign_until: string;
  /** Tokens signed with the key are accepted until this time. */
  verify_until: string;
}

export interface WebhookSecretTable {
  id: string;
  tenant_id: string;
  client_id: string;
  /** `whsec_...`, encrypted with the PII cipher (signing needs the secret itself). */
  secret: string;
  created_at: string;
  /** Set when a newer secret replaced it; it keeps signing until then, for a smooth rotation. */
  expires_at: string | null;
}

export interface WebhookDeliveryTable {
  /** Also the `webhook-id` header: the same for every attempt and every replay. */
  id: string;
  tenant_id: string;
  client_id: string;
  subject_id: string | null;
  event_type: string;
  /** The destination, encrypted with the PII cipher (URLs can carry tokens). */
  url: string;
  /** The JSON body, encrypted with the PII cipher. */
  payload: string;
  dedupe_key: string | null;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  /** The first bytes of the receiver's answer. */
  response_excerpt: string | null;
}

export interface SubjectDataTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  /** What the record is: `access_tokens`, `ip_address`, `user_agent`, `social.facebook`, ... */
  kind: string;
  /** Who supplied it: a dialect (the request) or a data connector. */
  source: string;
  /** JSON, encrypted with the PII cipher. */
  data: string;
  created_at: string;
}

export interface ScoreRequestTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  /** The tenant's client (application) that asked. */
  client_id: string;
  service: string;
  dialect: string;
  /** queued | scored | no_data | failed */
  status: string;
  /** The id the score run gets (reserved up front, so that a retried job scores once). */
  run_id: string;
  request_id: string | null;
  /** Encrypted with the PII cipher. */
  webhook_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface FriendlyScoreUserTable {
  subject_id: string;
  tenant_id: string;
  /** FriendlyScore's own numeric user id (id-type `id`), per tenant. */
  user_number: number;
  status: string | null;
  status_description: string | null;
  created_at: string;
  updated_at: string;
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
  /**
   * Consortium hashes of the person's national id and phone, held only by a call that keeps its
   * answer while no subject was that person's: how the erasure of a later subject finds it.
   */
  id_hash: string | null;
  phone_hash: string | null;
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

/** A telecom operator's subscriber (CAMARA Customer Insights). */
export interface TelcoSubscriberTable {
  id: string;
  tenant_id: string;
  /** Blind index of the E.164 phone number. */
  phone_index: string;
  /** The E.164 phone number, encrypted. */
  phone: string;
  /** Blind index of the compacted id document number, when there is one. */
  id_document_index: string | null;
  id_document: string | null;
  /** prepaid | postpaid | b2b */
  subscription_type: string;
  /** YYYY-MM-DD */
  activation_date: string;
  /** The monthly usage and payment features, JSON, encrypted. */
  features: string;
  created_at: string;
  updated_at: string;
}

/** A subscriber's consent to be scored by an API consumer (an OAuth client) for a scope. */
export interface TelcoConsentTable {
  id: string;
  tenant_id: string;
  subscriber_id: string;
  oauth_client_id: string;
  scope: string;
  /** api | cli | auto (granted by the `consent: auto` policy) */
  source: string;
  granted_at: string;
  revoked_at: string | null;
}

/** A backchannel authentication request (OpenID CIBA Core 1.0, poll mode). */
export interface CibaRequestTable {
  /** The auth_req_id. */
  id: string;
  tenant_id: string;
  oauth_client_id: string;
  subscriber_id: string;
  /** Space-separated. */
  scope: string;
  /** approved | denied */
  status: string;
  created_at: string;
  expires_at: string;
  redeemed_at: string | null;
}

export interface SequenceTable {
  /** e.g. `friendlyscore_user:<tenant id>` */
  name: string;
  /** The last value given. */
  value: number;
}

export interface Database extends DeviceTables {
  tenants: TenantTable;
  clients: ClientTable;
  api_keys: ApiKeyTable;
  admin_keys: AdminKeyTable;
  subjects: SubjectTable;
  subject_identifiers: SubjectIdentifierTable;
  models: ModelTable;
  active_models: ActiveModelTable;
  score_runs: ScoreRunTable;
  idempotency_keys: IdempotencyKeyTable;
  secret_check: SecretCheckTable;
  outcomes: OutcomeTable;
  audit_log: AuditLogTable;
  jobs: JobTable;
  oauth_clients: OAuthClientTable;
  signing_keys: SigningKeyTable;
  webhook_secrets: WebhookSecretTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  subject_data: SubjectDataTable;
  score_requests: ScoreRequestTable;
  friendlyscore_users: FriendlyScoreUserTable;
  sequences: SequenceTable;
  partners: PartnerTable;
  partner_packages: PartnerPackageTable;
  partner_ledger: PartnerLedgerTable;
  partner_calls: PartnerCallTable;
  consortium_members: ConsortiumMemberTable;
  consortium_applications: ConsortiumApplicationTable;
  telco_subscribers: TelcoSubscriberTable;
  telco_consents: TelcoConsentTable;
  ciba_requests: CibaRequestTable;
  sightings: SightingTable;
  documents: DocumentTable;
}

export interface SightingTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  kind: 'ip' | 'device' | 'email' | 'phone';
  /** Blind index of the normalised value. */
  value_hash: string;
  seen_at: string;
}

export interface DocumentTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  source: 'upload' | 'gmail';
  external_id: string | null;
  name: string;
  media_type: string;
  size: number;
  content: string | null;
  status: 'queued' | 'parsed' | 'failed';
  failure: string | null;
  extraction: string | null;
  created_at: string;
  updated_at: string;
}

export type DocumentRow = Selectable<DocumentTable>;

export type TenantRow = Selectable<TenantTable>;
export type ClientRow = Selectable<ClientTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type AdminKeyRow = Selectable<AdminKeyTable>;
export type SubjectRow = Selectable<SubjectTable>;
export type ModelRow = Selectable<ModelTable>;
export type ScoreRunRow = Selectable<ScoreRunTable>;
export type OutcomeRow = Selectable<OutcomeTable>;
export type NewScoreRun = Insertable<ScoreRunTable>;
export type JobRow = Selectable<JobTable>;
export type OAuthClientRow = Selectable<OAuthClientTable>;
export type SigningKeyRow = Selectable<SigningKeyTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;
export type SubjectDataRow = Selectable<SubjectDataTable>;
export type ScoreRequestRow = Selectable<ScoreRequestTable>;
export type FriendlyScoreUserRow = Selectable<FriendlyScoreUserTable>;
export type PartnerRow = Selectable<PartnerTable>;
export type PartnerPackageRow = Selectable<PartnerPackageTable>;
export type PartnerLedgerRow = Selectable<PartnerLedgerTable>;
export type PartnerCallRow = Selectable<PartnerCallTable>;
export type TelcoSubscriberRow = Selectable<TelcoSubscriberTable>;
export type TelcoConsentRow = Selectable<TelcoConsentTable>;
export type CibaRequestRow = Selectable<CibaRequestTable>;
export type ConsortiumApplicationRow = Selectable<ConsortiumApplicationTable>;
