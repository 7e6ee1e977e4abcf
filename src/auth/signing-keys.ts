/**
 * The keys Credence signs its JWTs with (OAuth access tokens now, ID tokens later). Each key
 * signs for 30 days and then only verifies, until every token it signed has expired; a new key
 * is made when the newest one stops signing, so keys rotate without anyone acting. Private keys
 * are kept in the database encrypted with the PII cipher (a key derived from CREDENCE_SECRET_KEY),
 * so every replica shares them. Public keys are cached in memory: verifying a token costs no
 * database round trip, except once when a token names a key this process has not seen yet.
 */
import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';
import type { Kysely } from 'kysely';
import { insertSigningKey, listVerifyingKeys } from '../db/repositories/oauth.repository.js';
import type { Database, SigningKeyRow } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';

export const SIGNING_ALG = 'ES256';
const DAY = 24 * 3600_000;

export interface SigningKeyOptions {
  /** How long a key signs new tokens (default 30 days). */
  signForMs?: number;
  /** The longest lifetime of a token any key signs (default 1 day): how long a key verifies after. */
  maxTokenLifetimeMs?: number;
  /** How often this process may reread the keys for a key id it does not know (default 5 s). */
  refreshIntervalMs?: number;
}

type KeyObject = Awaited<ReturnType<typeof importJWK>>;

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: KeyObject;
  signUntil: number;
  verifyUntil: number;
  createdAt: number;
  row: SigningKeyRow;
}

export class SigningKeyStore {
  private keys = new Map<string, LoadedKey>();
  private privateKeys = new Map<string, KeyObject>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private readonly signForMs: number;
  private readonly maxTokenLifetimeMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    o: SigningKeyOptions = {},
  ) {
    this.signForMs = o.signForMs ?? 30 * DAY;
    this.maxTokenLifetimeMs = o.maxTokenLifetimeMs ?? DAY;
    this.refreshMs = o.refreshIntervalMs ?? 5000;
  }

  /** The key to sign with now, made if there is none. */
  async signingKey(): Promise<{ kid: string; alg: string; key: KeyObject }> {
    const current = await this.currentOrNew();
    let key = this.privateKeys.get(current.kid);
    if (!key) {
      key = await importJWK(JSON.parse(this.cipher.decrypt(current.row.private_jwk)) as JWK, SIGNING_ALG);
      this.privateKeys.set(current.kid, key);
    }
    return { kid: current.kid, alg: SIGNING_ALG, key };
  }

  /** jose's key resolver: the public key a token's header names. */
  readonly resolve = async (header: JWTHeaderParameters): Promise<KeyObject> => {
    if (header.alg !== SIGNING_ALG || typeof header.kid !== 'string') throw new UnknownKeyError();
    let key = this.keys.get(header.kid);
    if (!key && this.clock.now().getTime() - this.loadedAt >= this.refreshMs) {
      await this.reload();
      key = this.keys.get(header.kid);
    }
    if (!key || key.verifyUntil <= this.clock.now().getTime()) throw new UnknownKeyError();
    return key.publicKey;
  };

  /**
   * The public keys that verify tokens now, as a JWK Set (for a `jwks_uri`). The signing key is
   * made first if there is none: a resource server that caches an empty set would refuse the
   * first tokens for as long as it caches it.
   */
  async jwks(): Promise<JSONWebKeySet> {
    if (this.keys.size === 0 || this.clock.now().getTime() - this.loadedAt >= this.refreshMs)
      await this.reload();
    await this.currentOrNew();
    const now = this.clock.now().getTime();
    return {
      keys: [...this.keys.values()]
        .filter((k) => k.verifyUntil > now)
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: SIGNING_ALG, use: 'sig' })),
    };
  }

  /** Makes a new signing key now (it signs from now on); the old one keeps verifying. */
  async rotate(): Promise<string> {
    const kid = await this.create();
    await this.reload();
    return kid;
  }

  /** The key that signs now, read again or made when this process knows none. */
  private async currentOrNew(): Promise<LoadedKey> {
    let current = this.current();
    if (!current) {
      await this.reload();
      current = this.current();
    }
    if (!current) {
      await this.create();
      await this.reload();
      current = this.current();
    }
    if (!current) throw new Error('no signing key could be made');
    return current;
  }

  private current(): LoadedKey | undefined {
    const now = this.clock.now().getTime();
    let best: LoadedKey | undefined;
    for (const k of this.keys.values()) {
      if (k.createdAt <= now && k.signUntil > now && (!best || k.createdAt > best.createdAt)) best = k;
    }
    return best;
  }

  private async create(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const kid = `${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}-${randomUUID().slice(0, 8)}`;
    const now = this.clock.now().getTime();
    await insertSigningKey(this.db, {
      kid,
      alg: SIGNING_ALG,
      public_jwk: JSON.stringify(publicJwk),
      private_jwk: this.cipher.encrypt(JSON.stringify(privateJwk)),
      created_at: new Date(now).toISOString(),
      sign_until: new Date(now + this.signForMs).toISOString(),
      verify_until: new Date(now + this.signForMs + this.maxTokenLifetimeMs).toISOString(),
    });
    return kid;
  }

  private async reload(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const rows = await listVerifyingKeys(this.db, this.clock.now().toISOString());
      const keys = new Map<string, LoadedKey>();
      for (const row of rows) {
        const known = this.keys.get(row.kid);
        if (known) {
          keys.set(row.kid, known);
          continue;
        }
        const publicJwk = JSON.parse(row.public_jwk) as JWK;
        keys.set(row.kid, {
          kid: row.kid,
          publicJwk,
          publicKey: await importJWK(publicJwk, SIGNING_ALG),
          signUntil: Date.parse(row.sign_until),
          verifyUntil: Date.parse(row.verify_until),
          createdAt: Date.parse(row.created_at),
          row,
        });
      }
      this.keys = keys;
      this.loadedAt = this.clock.now().getTime();
    })();
    try {
      await this.loading;
    } finally {
      this.loading = null;
    }
  }
}

export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
  constructor() {
    super('the token names no signing key of this server');
  }
}
