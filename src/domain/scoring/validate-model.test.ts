import { describe, expect, it } from 'vitest';
import { type LooseJson, testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { CredenceError } from '../errors.js';
import { findModelProblems, parseModel } from './validate-model.js';

const withChange = (change: (m: LooseJson) => void) => {
  const m = structuredClone(testScorecard()) as LooseJson;
  change(m);
  return m;
};

describe('model validation', () => {
  it('accepts a valid model', () => {
    expect(findModelProblems(testScorecard())).toEqual([]);
  });

  it.each([
    ['not an object', [], ''],
    ['wrong format', withChange((m) => (m.format = 'other/v1')), 'format'],
    ['missing scaling', withChange((m) => delete m.scaling), 'scaling'],
    ['non-positive pdo', withChange((m) => (m.scaling.pdo = 0)), 'scaling.pdo'],
    ['bad service name', withChange((m) => (m.service = 'Demographic Score')), 'service'],
    ['no characteristics', withChange((m) => (m.characteristics = [])), 'characteristics'],
    [
      'unknown characteristic type',
      withChange((m) => (m.characteristics[1].type = 'text')),
      'characteristics[1].type',
    ],
    [
      'points not a number',
      withChange((m) => (m.characteristics[0].bins[1].points = 'x')),
      'characteristics[0].bins[1].points',
    ],
    [
      'points so large that a total would overflow',
      withChange((m) => (m.characteristics[0].bins[1].points = 1e308)),
      'characteristics[0].bins[1].points',
    ],
    ['base points out of bounds', withChange((m) => (m.scaling.basePoints = -1e10)), 'scaling.basePoints'],
    [
      'gap between bins',
      withChange((m) => (m.characteristics[0].bins[1].min = 26)),
      'characteristics[0].bins[1].min',
    ],
    [
      'first bin closed below',
      withChange((m) => (m.characteristics[0].bins[0].min = 0)),
      'characteristics[0].bins[0].min',
    ],
    [
      'last bin closed above',
      withChange((m) => (m.characteristics[0].bins[2].max = 99)),
      'characteristics[0].bins[2].max',
    ],
    [
      'empty interval',
      withChange((m) => {
        m.characteristics[0].bins[1].max = 25;
        m.characteristics[0].bins[2].min = 25;
      }),
      'characteristics[0].bins[1].max',
    ],
    [
      'category in two bins',
      withChange((m) => m.characteristics[1].bins[1].values.push('MARRIED')),
      'characteristics[1].bins[1].values[2]',
    ],
    [
      'undefined reason code',
      withChange((m) => (m.characteristics[0].bins[0].reasonCode = 'NOPE')),
      'characteristics[0].bins[0].reasonCode',
    ],
    [
      'missing bin absent',
      withChange((m) => delete m.characteristics[2].missing),
      'characteristics[2].missing',
    ],
    ['duplicate names', withChange((m) => (m.characteristics[2].name = 'age')), 'characteristics[2].name'],
    ['unknown property', withChange((m) => (m.characteristics[0].weight = 2)), 'characteristics[0].weight'],
    ['grades out of order', withChange((m) => (m.grades[1].minScore = 600)), 'grades[1].minScore'],
    ['a grade named twice', withChange((m) => (m.grades[1].grade = m.grades[0].grade)), 'grades[1].grade'],
    [
      'a valid range upside down',
      withChange((m) => (m.characteristics[0].valid = { min: 10, max: 5 })),
      'characteristics[0].valid.max',
    ],
    [
      'an empty valid range',
      withChange((m) => (m.characteristics[0].valid = {})),
      'characteristics[0].valid',
    ],
    [
      'attribute and ratio',
      withChange((m) => (m.characteristics[2].attribute = 'x')),
      'characteristics[2].ratio',
    ],
  ])('names the field at fault: %s', (_name, doc, path) => {
    const problems = findModelProblems(doc);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.path)).toContain(path);
  });

  it('says a number too large to represent is one, as a model file read with JSON.parse holds it', () => {
    const doc = JSON.parse(JSON.stringify(testScorecard()).replace('"max":25', '"max":1e400'));
    expect(findModelProblems(doc)).toEqual([
      { path: 'characteristics[0].bins[0].max', message: 'is a number too large to represent' },
    ]);
  });

  it('parseModel throws CREDENCE_INVALID_MODEL with every problem listed', () => {
    const doc = withChange((m) => {
      m.scaling.pdo = -1;
      m.characteristics[0].bins[1].points = 'x';
    });
    try {
      parseModel(doc);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CredenceError);
      const e = err as CredenceError;
      expect(e.code).toBe('CREDENCE_INVALID_MODEL');
      expect(e.message).toMatch(/^invalid model: scaling\.pdo: /);
      expect(e.details.errors).toHaveLength(2);
    }
  });

  it('lists a wrong format with the other faults of the file, not alone', () => {
    const doc = withChange((m) => {
      m.format = 'other/v1';
      delete m.scaling;
      m.characteristics[1].type = 'num';
    });
    expect(findModelProblems(doc).map((p) => p.path)).toEqual([
      'format',
      'scaling',
      'characteristics[1].type',
    ]);
  });
});
