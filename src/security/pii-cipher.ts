/**
 * Personal data at rest: AES-256-GCM for the value, HMAC-SHA-256 for a keyed blind index
 * that allows equality lookups without decrypting. Sub-keys are derived from the master
 * secret with HKDF (RFC 5869), one per purpose, so the same bytes never serve two roles.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomFillSync,
} from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IVs are drawn from the CSPRNG this many at a time: one call instead of one per value. */
const IV_POOL = 1024;

interface KeySet {
  id: string;
  encryption: Buffer;
  index: Buffer;
}

function derive(master: Buffer): KeySet {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  // The key id names the master key inside each ciphertext, so rotation knows which key to use.
  const id = createHash('sha256').update(master).digest('base64url').slice(0, 8);
  return { id, encryption: sub('credence/pii/aes-256-gcm'), index: sub('credence/pii/blind-index') };
}

export class PiiCipher {
  private readonly keys: KeySet[];
  private readonly byId: Map<string, KeySet>;
  private readonly ivs = Buffer.alloc(IV_BYTES * IV_POOL);
  private ivNext = IV_POOL;

  /** @param masterKeys newest first; the first encrypts and indexes, all of them decrypt. */
  constructor(masterKeys: Buffer[]) {
    if (masterKeys.length === 0) throw new Error('at least one secret key is required');
    this.keys = masterKeys.map(derive);
    this.byId = new Map(this.keys.map((k) => [k.id, k]));
  }

  /** The ids of every key, newest first (as ciphertexts name them). */
  get keyIds(): string[] {
    return this.keys.map((k) => k.id);
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  /** Returns `v1.<keyId>.<iv>.<ciphertext+tag>` in base64url. */
  encrypt(plaintext: string): string {
    const key = this.keys[0]!;
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', key.encryption, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${key.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** A fresh random 96-bit IV (NIST SP 800-38D, 8.2.2), taken from a pool refilled in one call. */
  private nextIv(): Buffer {
    if (this.ivNext === IV_POOL) {
      randomFillSync(this.ivs);
      this.ivNext = 0;
    }
    const at = this.ivNext++ * IV_BYTES;
    // A copy, so that refilling the pool never changes an IV already handed out.
    return Buffer.from(this.ivs.subarray(at, at + IV_BYTES));
  }

  decrypt(token: string): string {
    const [version, keyId, ivText, bodyText] = token.split('.');
    if (version !== VERSION || !keyId || !ivText || !bodyText) throw new Error('not a Credence ciphertext');
    const key = this.byId.get(keyId);
    if (!key) throw new Error(`ciphertext was encrypted with unknown key ${keyId}`);
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(ivText, 'base64url'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Whether a stored text is a ciphertext of this cipher's format (under any key) rather than plain text. */
  static isSealed(text: string): boolean {
    return text.startsWith(`${VERSION}.`);
  }

  /**
   * A value of a column that was written in plain text before it was sealed: decrypted when it is
   * a ciphertext, as it is otherwise.
   */
  decryptOrPlain(text: string): string {
    return PiiCipher.isSealed(text) ? this.decrypt(text) : text;
  }

  /** Whether a ciphertext was written with an older key (and so needs re-encryption). */
  isStale(token: string): boolean {
    return token.split('.')[1] !== this.currentKeyId;
  }

  /** The blind index of a normalised value under the current key. `kind` separates namespaces. */
  blindIndex(kind: string, normalisedValue: string): string {
    return this.blindIndexWith(this.keys[0]!, kind, normalisedValue);
  }

  /** Blind indexes under every known key, for lookups while a rotation is under way. */
  blindIndexes(kind: string, normalisedValue: string): string[] {
    return this.keys.map((k) => this.blindIndexWith(k, kind, normalisedValue));
  }

  private blindIndexWith(key: KeySet, kind: string, value: string): string {
    return createHmac('sha256', key.index).update(kind).update('\0').update(value).digest('base64url');
  }
}
