import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiCipher } from './pii-cipher.js';

describe('PiiCipher', () => {
  const key = randomBytes(32);
  const cipher = new PiiCipher([key]);

  it('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('+254712345678');
    const b = cipher.encrypt('+254712345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('254712345678');
    expect(cipher.decrypt(a)).toBe('+254712345678');
    expect(cipher.decrypt(cipher.encrypt('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it('detects tampering', () => {
    const token = cipher.encrypt('secret');
    const parts = token.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });

  it('gives a stable blind index per kind, different across kinds and keys', () => {
    expect(cipher.blindIndex('phone', '+254712345678')).toBe(cipher.blindIndex('phone', '+254712345678'));
    expect(cipher.blindIndex('phone', 'x')).not.toBe(cipher.blindIndex('email', 'x'));
    expect(new PiiCipher([randomBytes(32)]).blindIndex('phone', 'x')).not.toBe(
      cipher.blindIndex('phone', 'x'),
    );
  });

  it('decrypts with an older key after rotation and says the ciphertext is stale', () => {
    const old = cipher.encrypt('old data');
    const rotated = new PiiCipher([randomBytes(32), key]);
    expect(rotated.decrypt(old)).toBe('old data');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('new'))).toBe(false);
    expect(rotated.blindIndexes('phone', 'x')).toContain(cipher.blindIndex('phone', 'x'));
    expect(() => new PiiCipher([randomBytes(32)]).decrypt(old)).toThrow(/unknown key/);
  });
});
