import { describe, expect, it } from 'vitest';
import { allowHeader } from './allow.js';

describe('allowHeader', () => {
  it('lists each method once, in one order whatever the order of the routes', () => {
    expect(allowHeader(['POST'])).toBe('POST');
    expect(allowHeader(['HEAD', 'DELETE', 'GET', 'GET', 'HEAD'])).toBe('GET, HEAD, DELETE');
    expect(allowHeader(['PUT', 'PROPFIND', 'POST'])).toBe('POST, PUT, PROPFIND');
  });
});
