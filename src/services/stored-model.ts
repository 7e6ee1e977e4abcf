/**
 * Compiling a model read back from the database. Validation rules are tightened over time, so a
 * model stored by an older release can fail today's validation: that is the server's state, not
 * the caller's fault, so it is no CredenceError (which would answer as the caller's invalid
 * input). Every dialect classifies it as an internal error: its own 500, with the details kept for
 * the log line that answer writes and never sent to the caller.
 */
import type { ModelRow } from '../db/schema.js';
import { isCredenceError } from '../domain/errors.js';
import { Scorecard } from '../domain/scoring/scorecard.js';

export class StoredModelInvalid extends Error {
  readonly modelId: string;
  readonly service: string;
  readonly version: number;
  /** The tenant asking (for a shared starter model, not the owner); null when none asked. */
  readonly tenantId: string | null;
  readonly validation: string;

  constructor(row: ModelRow, tenantId: string | null, validation: string) {
    super(
      `stored model ${row.id} (${row.service} version ${row.version}) fails today's validation: ${validation}`,
    );
    this.name = 'StoredModelInvalid';
    this.modelId = row.id;
    this.service = row.service;
    this.version = row.version;
    this.tenantId = tenantId;
    this.validation = validation;
  }
}

/** Compiles a stored model; throws StoredModelInvalid when today's validation refuses it. */
export function compileStoredModel(row: ModelRow, tenantId: string | null): Scorecard {
  try {
    return Scorecard.compile(JSON.parse(row.document));
  } catch (err) {
    if (isCredenceError(err) && err.code === 'CREDENCE_INVALID_MODEL')
      throw new StoredModelInvalid(row, tenantId, err.message);
    throw err;
  }
}
