import { describe, expect, it } from 'vitest';
import { readablePath } from './malformed-path.js';

describe('readablePath', () => {
  it('leaves a path that decodes as it is, query and all', () => {
    for (const url of ['/', '/cladfy/v1/client_data/?client_id=a%20b', '/api/v1/subjects/a%2Fb', '/x?y=%'])
      expect(readablePath(url)).toBe(url);
  });

  it('reads the % signs of a path that does not decode as themselves, leaving the query alone', () => {
    expect(readablePath('/finbox/v2/risk/predictors%')).toBe('/finbox/v2/risk/predictors%25');
    expect(readablePath('/api/v1/subjects/%C3%28?page=%')).toBe('/api/v1/subjects/%25C3%2528?page=%');
  });
});
