import { describe, expect, it } from 'vitest';
import mapping from './app-categories.json' with { type: 'json' };
import { APP_CATEGORIES, appCategory } from './categories.js';

describe('appCategory', () => {
  it('maps known packages, then prefixes, then other', () => {
    expect(appCategory('com.kreditbee.android')).toBe('lending');
    expect(appCategory('com.globe.gcash.android')).toBe('wallet');
    expect(appCategory('com.lexa.fakegps')).toBe('fake_gps');
    expect(appCategory('com.topjohnwu.magisk')).toBe('root');
    expect(appCategory('com.lbe.parallel.intl')).toBe('cloner');
    expect(appCategory('com.facebook.lite')).toBe('social');
    expect(appCategory('com.example.unknown')).toBe('other');
  });

  it('uses only the documented categories', () => {
    const used = [...Object.values(mapping.packages), ...Object.values(mapping.prefixes)];
    for (const c of used) expect(APP_CATEGORIES).toContain(c);
  });
});
