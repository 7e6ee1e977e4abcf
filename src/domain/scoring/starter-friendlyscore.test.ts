/**
 * The FriendlyScore starter scorecard gives the points its page (docs/models/friendlyscore.md)
 * lists, checked where the two once disagreed: the share of Google scopes granted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/helpers/processes.js';
import type { ScorecardModel } from './model-format.js';
import { Scorecard } from './scorecard.js';

const card = Scorecard.compile(
  JSON.parse(fs.readFileSync(path.join(ROOT, 'models/friendlyscore.json'), 'utf8')) as ScorecardModel,
);

const pointsFor = (coverage: number | undefined) => {
  const result = card.evaluate(coverage === undefined ? {} : { google_scope_coverage: coverage });
  return card.explain(result.bins).find((c) => c.characteristic === 'google_scope_coverage')!.points;
};

describe('the FriendlyScore starter scorecard', () => {
  it('gives google_scope_coverage < 0.5 → 0, 0.5–0.99 → 30, ≥ 0.99 → 40, unknown → 20', () => {
    expect(pointsFor(0.49)).toBe(0);
    expect(pointsFor(0.5)).toBe(30);
    expect(pointsFor(0.98)).toBe(30);
    expect(pointsFor(0.99)).toBe(40);
    expect(pointsFor(1)).toBe(40);
    expect(pointsFor(undefined)).toBe(20);
  });
});
