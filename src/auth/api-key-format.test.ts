import { describe, expect, it } from 'vitest';
import {
  API_KEY_LENGTH,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  visibleStart,
} from './api-key-format.js';
import { grants, isValidScope } from './scopes.js';

describe('API key format', () => {
  it('makes recognisable keys with a valid checksum', () => {
    const key = generateApiKey('server');
    expect(key).toMatch(/^crd_sk_[0-9A-Za-z]{32}1[0-9A-Za-z]{6}$/);
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(generateApiKey('device')).toMatch(/^crd_dk_/);
  });

  it('makes a different key every time', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey('server')));
    expect(keys.size).toBe(1000);
  });

  it('detects a mistyped key by its checksum', () => {
    const key = generateApiKey('server');
    const i = 10;
    const typo = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    expect(isWellFormedApiKey(typo)).toBe(false);
    expect(isWellFormedApiKey(`${key}x`)).toBe(false);
    expect(isWellFormedApiKey('not a key')).toBe(false);
  });

  it('hashes with SHA-256 and shows only the prefix and four characters', () => {
    const key = generateApiKey('server');
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(visibleStart(key)).toBe(key.slice(0, 11));
  });
});

describe('scopes', () => {
  it('grants a scope, everything below it, and everything for *', () => {
    expect(grants(['cladfy'], 'cladfy:deposit_score')).toBe(true);
    expect(grants(['cladfy:deposit_score'], 'cladfy:deposit_score')).toBe(true);
    expect(grants(['cladfy:deposit_score'], 'cladfy:repayment_score')).toBe(false);
    expect(grants(['cladfy:deposit_score'], 'cladfy')).toBe(false);
    expect(grants(['clad'], 'cladfy:deposit_score')).toBe(false);
    expect(grants(['*'], 'models:write')).toBe(true);
    expect(grants([], 'models:read')).toBe(false);
  });
  it('accepts only scopes that grant something', () => {
    for (const s of [
      'cladfy:demographic_score',
      'cladfy',
      '*',
      'customer-insights',
      'openid',
      'telco:read',
    ]) {
      expect(isValidScope(s), s).toBe(true);
    }
    // Case, spaces, typos and wildcards inside a scope would be stored and grant nothing.
    for (const s of ['Cladfy', 'a b', 'cladfy:deposit', 'cladfy:*', 'customer-insights:*', 'clad', 'score']) {
      expect(isValidScope(s), s).toBe(false);
    }
  });
});
