/**
 * Every column that holds data sealed with the secret key (AES-256-GCM ciphertexts of the PII
 * cipher), and the keyed hashes that go with some of them: what `credence secret rotate`
 * re-encrypts. A new table with a sealed column belongs here (a test checks the schema for
 * columns this list misses).
 */
import type { SealedTable } from '../../db/repositories/rotation.repository.js';
import { ID_DOCUMENT_INDEX, PHONE_INDEX } from '../telco/subscribers.js';

export interface SealedColumns extends SealedTable {
  /**
   * Keyed hashes to recompute from the decrypted values under the current key, or nothing when
   * the row keeps the ones it has.
   */
  rehash?: (
    row: Record<string, string | number | null>,
    plain: Record<string, string | null>,
  ) => Record<string, string> | null;
  /** The unique constraint the recomputed hash is part of. */
  unique?: readonly string[];
  /**
   * The column was written in plaintext before it was sealed: a value that is not a ciphertext is
   * such a value, sealed as it is.
   */
  plaintextBefore?: boolean;
}

export type Indexer = (kind: string, value: string) => string;

export function sealedColumns(blindIndex: Indexer): SealedColumns[] {
  return [
    {
      table: 'subject_identifiers',
      key: ['id'],
      sealed: ['ciphertext'],
      also: ['tenant_id', 'kind', 'blind_index'],
      rehash: (row, plain) => ({ blind_index: blindIndex(String(row.kind), plain.ciphertext!) }),
      unique: ['tenant_id', 'kind', 'blind_index'],
    },
    // The value a start checks its key against: re-sealed, so a process with the new key alone starts.
    { table: 'secret_check', key: ['id'], sealed: ['sealed'] },
    { table: 'score_runs', key: ['id'], sealed: ['input'] },
    // Kept responses and the hashes of their requests, sealed since migration 0013; those kept in
    // plain text before are sealed by a rotation, and expire within 24 hours anyway.
    {
      table: 'idempotency_keys',
      key: ['tenant_id', 'key'],
      sealed: ['request_hash', 'response_body'],
      plaintextBefore: true,
    },
    { table: 'subject_data', key: ['id'], sealed: ['data'] },
    { table: 'signing_keys', key: ['kid'], sealed: ['private_jwk'] },
    { table: 'webhook_secrets', key: ['id'], sealed: ['secret'] },
    { table: 'webhook_deliveries', key: ['id'], sealed: ['url', 'payload'] },
    // Receivers' answers and lenders' status texts, free text that may name a person: sealed since
    // this release, and those kept in plain text before are sealed by a rotation.
    { table: 'webhook_attempts', key: ['id'], sealed: ['response_excerpt'], plaintextBefore: true },
    {
      table: 'friendlyscore_users',
      key: ['subject_id'],
      sealed: ['status_description'],
      plaintextBefore: true,
    },
    { table: 'score_requests', key: ['id'], sealed: ['webhook_url'] },
    // The lender's free-form details of an outcome: sealed since this release, and those kept in
    // plain text before are sealed by a rotation.
    { table: 'outcomes', key: ['id'], sealed: ['details'], plaintextBefore: true },
    // The request hash, kept in plain text before it was sealed: such rows are sealed here.
    {
      table: 'partner_calls',
      key: ['sequence_id'],
      sealed: ['response', 'request_hash'],
      plaintextBefore: true,
    },
    { table: 'finbox_server_keys', key: ['api_key_id'], sealed: ['server_hash', 'webhook_url'] },
    {
      table: 'device_sms',
      key: ['id'],
      sealed: ['fact', 'body'],
      also: ['tenant_id', 'subject_id', 'fingerprint'],
      // The fingerprint hashes sender, time and raw text: it can be recomputed while the text is held.
      rehash: (_row, plain) => {
        if (plain.body === null) return null;
        const fact = JSON.parse(plain.fact!) as { time: unknown; sender: unknown };
        return {
          fingerprint: blindIndex('device_sms', `${fact.sender}\u0000${fact.time}\u0000${plain.body}`),
        };
      },
      unique: ['tenant_id', 'subject_id', 'fingerprint'],
    },
    { table: 'documents', key: ['id'], sealed: ['name', 'content', 'extraction'] },
    {
      table: 'telco_subscribers',
      key: ['id'],
      sealed: ['phone', 'id_document', 'features'],
      also: ['tenant_id', 'phone_index', 'id_document_index'],
      rehash: (_row, plain) => ({
        phone_index: blindIndex(PHONE_INDEX, plain.phone!),
        ...(plain.id_document ? { id_document_index: blindIndex(ID_DOCUMENT_INDEX, plain.id_document) } : {}),
      }),
      unique: ['tenant_id', 'phone_index'],
    },
    {
      table: 'device_predictors',
      key: ['tenant_id', 'subject_id', 'watermark', 'version'],
      sealed: ['predictors'],
    },
  ];
}
