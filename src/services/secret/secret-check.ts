/**
 * Refuses a start under a secret key that cannot read the database's data. Every process seals
 * with its first key and reads with all of its keys, so a replica given a different
 * CREDENCE_SECRET_KEY would answer 500 on everything stored before and write what no other
 * replica can read. The database keeps one value sealed under the key it was first used with
 * (re-sealed by `credence secret rotate`); a start whose keys do not open it stops, naming the key
 * the value was sealed with.
 */
import type { Kysely } from 'kysely';
import { ConfigError } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { sealedColumns } from './sealed-columns.js';

const ID = 'secret_key';
const PLAIN = 'credence secret key check';

/** A setting, found wrong once the database is open: the server and the worker stop with exit 2. */
export class SecretKeyMismatch extends ConfigError {
  override name = 'SecretKeyMismatch';
  constructor(problem: string) {
    super([problem]);
  }
}

/** Where the process's keys came from (src/security/secret-key.ts), to say what to change. */
export interface KeyOrigin {
  source: 'environment' | 'generated' | 'file';
  file?: string;
}

export async function checkSecretKey(
  db: Kysely<Database>,
  cipher: PiiCipher,
  clock: Clock,
  origin: KeyOrigin = { source: 'environment' },
): Promise<void> {
  let row = await db.selectFrom('secret_check').select('sealed').where('id', '=', ID).executeTakeFirst();
  if (!row) {
    // A database from before this check: any value sealed in it must open before one is added.
    const sample = await anySealedValue(db, cipher);
    if (sample !== undefined) opens(cipher, sample, origin);
    await db
      .insertInto('secret_check')
      .values({ id: ID, sealed: cipher.encrypt(PLAIN), created_at: clock.now().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await db.selectFrom('secret_check').select('sealed').where('id', '=', ID).executeTakeFirstOrThrow();
  }
  opens(cipher, row.sealed, origin);
}

function opens(cipher: PiiCipher, sealed: string, origin: KeyOrigin): void {
  try {
    cipher.decrypt(sealed);
  } catch {
    const keyId = sealed.split('.')[1];
    const has = cipher.keyIds.join(', ');
    // An embedded install reads its key from the data folder: a database restored without its
    // secret.key is told so, not told of a variable it never set.
    const restore = `Put back the secret.key this database was used with (backed up with it), or give its key in CREDENCE_SECRET_KEY.`;
    throw new SecretKeyMismatch(
      origin.source === 'generated'
        ? `CREDENCE_SECRET_KEY is not set and ${origin.file} did not exist, but this database holds data sealed under key ${keyId}: ` +
            `the key generated for it (${has}) cannot read that data, and was removed. ${restore}`
        : origin.source === 'file'
          ? `${origin.file} cannot read this database: its data is sealed under key ${keyId}, and that file holds ${has}. ${restore}`
          : `CREDENCE_SECRET_KEY cannot read this database: its data is sealed under key ${keyId}, and this process has ` +
            `${has}. Give it the key the other processes use (while rotating, the new key first and the old one after it).`,
    );
  }
}

/** One sealed value of any table, or undefined in a database that holds none. */
async function anySealedValue(db: Kysely<Database>, cipher: PiiCipher): Promise<string | undefined> {
  for (const spec of sealedColumns((kind, value) => cipher.blindIndex(kind, value))) {
    for (const column of spec.sealed) {
      const row = await (db as unknown as Kysely<Record<string, Record<string, string | null>>>)
        .selectFrom(spec.table)
        .select(column)
        .where(column, 'like', 'v1.%')
        .limit(1)
        .executeTakeFirst();
      const value = row?.[column];
      if (typeof value === 'string') return value;
    }
  }
  return undefined;
}
