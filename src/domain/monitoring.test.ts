import { describe, expect, it } from 'vitest';
import { type FirstRun, type ObservedOutcome, performance, referenceDistribution } from './monitoring.js';

const DAY = 86_400_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

describe('performance', () => {
  const runs = new Map<string, FirstRun>([
    ['a', { score: 480, at: T0 }],
    ['b', { score: 520, at: T0 }],
    ['c', { score: 560, at: T0 }],
    ['d', { score: 600, at: T0 }],
    ['e', { score: 610, at: T0 }],
  ]);
  const o = (
    subjectId: string,
    status: string,
    days: number,
    daysPastDue: number | null = null,
    kind = 'loan',
  ) => ({ subjectId, kind, status, daysPastDue, observedAt: T0 + days * DAY }) as ObservedOutcome;

  it('labels each subject from the outcomes in the window after its first run', () => {
    const p = performance(
      runs,
      [
        o('a', 'paid', 30),
        o('a', 'default', 200), // a bad outcome in the window outweighs an earlier good one
        o('b', 'arrears', 100, 95), // 90+ days past due: bad
        o('c', 'arrears', 100, 30), // arrears under 90 days says nothing
        o('d', 'paid', 100),
        o('d', 'default', 400), // after the 365-day window: ignored
        o('e', 'default', -5), // before the run: ignored
        o('zz', 'default', 10), // a subject the model never scored
      ],
      365,
      null,
    );
    expect(p).toMatchObject({ subjects: 5, bads: 2, goods: 1, unlabelled: 2 });
    // Both bads (480, 520) score below the good (600).
    expect(p.discrimination).toEqual({ auc: 1, gini: 1, ks: 1 });
  });

  it('counts an outcome dated the day of the run, a date being its midnight', () => {
    const at = Date.parse('2026-12-06T02:21:00Z');
    const p = performance(
      new Map<string, FirstRun>([
        ['a', { score: 480, at }],
        ['b', { score: 600, at }],
      ]),
      [
        {
          subjectId: 'a',
          kind: 'loan',
          status: 'default',
          daysPastDue: null,
          observedAt: Date.parse('2026-12-06'),
        },
        {
          subjectId: 'b',
          kind: 'loan',
          status: 'paid',
          daysPastDue: null,
          observedAt: Date.parse('2026-12-05'),
        },
      ] as ObservedOutcome[],
      365,
      null,
    );
    // The day before the run is still before it.
    expect(p).toMatchObject({ bads: 1, goods: 0, unlabelled: 1 });
  });

  it('counts a negative feedback flag as bad and leaves AUC null until both classes are seen', () => {
    const p = performance(runs, [o('a', 'negative', 10, null, 'feedback')], 365, null);
    expect(p).toMatchObject({ bads: 1, goods: 0, discrimination: null });
  });

  it('reads only the newest feedback flag, which replaces the earlier ones, beside the loans', () => {
    const p = performance(
      runs,
      [
        o('a', 'positive', 20, null, 'feedback'),
        o('a', 'negative', 10, null, 'feedback'), // unset, then set again: positive
        o('b', 'negative', 20, null, 'feedback'),
        o('b', 'positive', 10, null, 'feedback'), // set, then unset: negative
        o('c', 'positive', 20, null, 'feedback'),
        o('c', 'default', 5), // a positive flag does not undo a defaulted loan
      ],
      365,
      null,
    );
    expect(p).toMatchObject({ bads: 2, goods: 1 });
    expect(p.bands.reduce((n, band) => n + band.bads, 0)).toBe(2);
  });

  it('reports bad rates by the given bands', () => {
    const bands = [
      { min: undefined, max: 550 },
      { min: 550, max: undefined },
    ];
    const p = performance(runs, [o('a', 'default', 10), o('b', 'paid', 10), o('d', 'paid', 10)], 365, bands);
    expect(p.bands).toEqual([
      { min: undefined, max: 550, rows: 2, bads: 1, badRate: 0.5 },
      { min: 550, max: undefined, rows: 1, bads: 0, badRate: 0 },
    ]);
  });
});

describe('referenceDistribution', () => {
  it('reads the training distribution a trained model records, and nothing else', () => {
    expect(
      referenceDistribution({
        scoreDistribution: {
          bands: [
            { max: 500, share: 0.4 },
            { min: 500, share: 0.6 },
          ],
        },
      }),
    ).toEqual({
      bands: [
        { min: undefined, max: 500 },
        { min: 500, max: undefined },
      ],
      shares: [0.4, 0.6],
    });
    expect(referenceDistribution(undefined)).toBeNull();
    expect(referenceDistribution({ scoreDistribution: { bands: [{ max: 1 }] } })).toBeNull();
  });
});
