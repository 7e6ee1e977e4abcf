/**
 * The keys Credence signs its JWTs with: one ES256 key signs access tokens, and ID tokens are
 * signed with the algorithm their client registered, RS256 unless it asked for ES256 (OpenID
 * Connect's default, which many relying parties assume). Each algorithm has its own keys. A key
 * signs for 30 days and then only verifies, until every token it signed has expired; a new key
 * is made when the newest one of its algorithm stops signing, so keys rotate without anyone acting. Private keys
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
import { findSigningKey, insertSigningKey, listVerifyingKeys } from '../db/repositories/oauth.repository.js';
import { serializeOn } from '../db/row-lock.js';
import type { Database, SigningKeyRow } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';

/** The algorithms keys are made for. */
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
/** Access tokens are signed with ES256 only: small, and cheap to sign. */
export const ACCESS_TOKEN_ALG: SigningAlg = 'ES256';
/** ID tokens of a client that registered no algorithm (OpenID Connect Registration §2). */
export const DEFAULT_ID_TOKEN_ALG: SigningAlg = 'RS256';

export const isSigningAlg = (v: unknown): v is SigningAlg => SIGNING_ALGS.includes(v as SigningAlg);
const DAY = 24 * 3600_000;

export interface SigningKeyOptions {
  /** How long a key signs new tokens (default 30 days). */
  signForMs?: number;
  /** The longest lifetime of a token any key signs (default 1 day): how long a key verifies after. */
  maxTokenLifetimeMs?: number;
  /**
   * How often this process may reread the keys for a key id it does not know (default 250 ms):
   * a key another replica made is known here that soon after its first token arrives, while
   * tokens of made-up key ids cost at most four reads a second.
   */
  refreshIntervalMs?: number;
}

type KeyObject = Awaited<ReturnType<typeof importJWK>>;

interface LoadedKey {
  kid: string;
  alg: SigningAlg;
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
    this.refreshMs = o.refreshIntervalMs ?? 250;
  }

  /** The key of `alg` to sign with now, made if there is none. */
  async signingKey(
    alg: SigningAlg = ACCESS_TOKEN_ALG,
  ): Promise<{ kid: string; alg: SigningAlg; key: KeyObject }> {
    const current = await this.currentOrNew(alg);
    let key = this.privateKeys.get(current.kid);
    if (!key) {
      key = await importJWK(JSON.parse(this.cipher.decrypt(current.row.private_jwk)) as JWK, alg);
      this.privateKeys.set(current.kid, key);
    }
    return { kid: current.kid, alg, key };
  }

  /**
   * jose's key resolver: the public key a token's header names. The header's `alg` must be the
   * key's own, so a key is never used with another algorithm than the one it was made for.
   */
  readonly resolve = async (header: JWTHeaderParameters): Promise<KeyObject> => {
    if (!isSigningAlg(header.alg) || typeof header.kid !== 'string') throw new UnknownKeyError();
    let key = this.keys.get(header.kid);
    if (!key && this.clock.now().getTime() - this.loadedAt >= this.refreshMs) {
      await this.reload();
      key = this.keys.get(header.kid);
    }
    if (!key || key.alg !== header.alg || key.verifyUntil <= this.clock.now().getTime())
      throw new UnknownKeyError();
    return key.publicKey;
  };

  /**
   * The public keys that verify tokens now, as a JWK Set (for a `jwks_uri`). A signing key of
   * each algorithm is made first if there is none: a relying party that caches the set would
   * otherwise refuse the first tokens of that algorithm for as long as it caches it.
   */
  async jwks(): Promise<JSONWebKeySet> {
    if (this.keys.size === 0 || this.clock.now().getTime() - this.loadedAt >= this.refreshMs)
      await this.reload();
    for (const alg of SIGNING_ALGS) await this.currentOrNew(alg);
    const now = this.clock.now().getTime();
    return {
      keys: [...this.keys.values()]
        .filter((k) => k.verifyUntil > now)
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })),
    };
  }

  /** Makes a new signing key of `alg` now (it signs from now on); the old one keeps verifying. */
  async rotate(alg: SigningAlg = ACCESS_TOKEN_ALG): Promise<string> {
    const kid = await this.create(alg);
    await this.reload();
    return kid;
  }

  /**
   * The key of `alg` that signs now, read again or made when this process knows none. Requests
   * that find none at the same moment share one making of it, rather than each making a key.
   */
  private currentOrNew(alg: SigningAlg): Promise<LoadedKey> {
    const current = this.current(alg);
    if (current) return Promise.resolve(current);
    let making = this.making.get(alg);
    if (!making) {
      making = this.readOrMake(alg).finally(() => this.making.delete(alg));
      this.making.set(alg, making);
    }
    return making;
  }

  private readonly making = new Map<SigningAlg, Promise<LoadedKey>>();

  private async readOrMake(alg: SigningAlg): Promise<LoadedKey> {
    let current = this.current(alg);
    if (!current) {
      await this.reload();
      current = this.current(alg);
    }
    if (!current) {
      await this.create(alg, { unlessOneSigns: true });
      await this.reload();
      current = this.current(alg);
    }
    if (!current) throw new Error(`no ${alg} signing key could be made`);
    return current;
  }

  private current(alg: SigningAlg): LoadedKey | undefined {
    const now = this.clock.now().getTime();
    let best: LoadedKey | undefined;
    for (const k of this.keys.values()) {
      if (k.alg === alg && k.createdAt <= now && k.signUntil > now && (!best || k.createdAt > best.createdAt))
        best = k;
    }
    return best;
  }

  /**
   * Stores a new key of `alg`. Makings of a key of one algorithm take turns across processes, and
   * with `unlessOneSigns` a key that another process made meanwhile is used instead: replicas that
   * find none at the same moment would otherwise each sign with a key of their own, which the
   * others do not know yet.
   */
  private async create(alg: SigningAlg, o: { unlessOneSigns?: boolean } = {}): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const kid = `${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}-${randomUUID().slice(0, 8)}`;
    return this.db.transaction().execute(async (trx) => {
      await serializeOn(trx, `signing-key/${alg}`);
      const now = this.clock.now().getTime();
      if (o.unlessOneSigns) {
        const signing = await findSigningKey(trx, alg, new Date(now).toISOString());
        if (signing) return signing.kid;
      }
      await insertSigningKey(trx, {
        kid,
        alg,
        public_jwk: JSON.stringify(publicJwk),
        private_jwk: this.cipher.encrypt(JSON.stringify(privateJwk)),
        created_at: new Date(now).toISOString(),
        sign_until: new Date(now + this.signForMs).toISOString(),
        verify_until: new Date(now + this.signForMs + this.maxTokenLifetimeMs).toISOString(),
      });
      return kid;
    });
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
        // A key of an algorithm this version does not sign with is left out, not guessed at.
        if (!isSigningAlg(row.alg)) continue;
        const publicJwk = JSON.parse(row.public_jwk) as JWK;
        keys.set(row.kid, {
          kid: row.kid,
          alg: row.alg,
          publicJwk,
          publicKey: await importJWK(publicJwk, row.alg),
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
