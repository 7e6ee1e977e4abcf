/**
 * Where the master secret comes from: CREDENCE_SECRET_KEY, or, for an embedded (SQLite)
 * install with none set, a key generated on first start into the data folder (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError, decodeSecretKey } from '../config.js';

export interface ResolvedSecret {
  /** The keys, newest first: the first one encrypts, every one can decrypt. */
  keys: Buffer[];
  source: 'environment' | 'generated' | 'file';
  file?: string;
}

export const SECRET_KEY_FILE = 'secret.key';

export function resolveSecretKey(config: Config): ResolvedSecret {
  if (config.secretKey) {
    return { keys: config.secretKey.split(',').map((k) => decodeSecretKey(k)!), source: 'environment' };
  }
  if (config.database.engine !== 'sqlite' || config.database.sqlitePath === ':memory:') {
    if (config.database.sqlitePath === ':memory:') {
      // A throwaway database gets a throwaway key.
      return { keys: [randomBytes(32)], source: 'generated' };
    }
    // A missing setting, reported (and exited on) as every other bad setting is.
    throw new ConfigError([
      'CREDENCE_SECRET_KEY is required with PostgreSQL: every replica must share the key that encrypts personal data ' +
        '(generate one with: openssl rand -base64 32)',
    ]);
  }
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  if (fs.existsSync(file)) {
    const key = decodeSecretKey(fs.readFileSync(file, 'utf8'));
    // A setting to correct, as a missing or wrong key file is (exit 2), not a failed start.
    if (!key) throw new ConfigError([`${file} does not hold a valid key (32 bytes as base64 or hex)`]);
    return { keys: [key], source: 'file', file };
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx' fails if another process created the file in the meantime; then read theirs.
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return resolveSecretKey(config);
  }
  return { keys: [key], source: 'generated', file };
}
