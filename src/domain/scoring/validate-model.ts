/**
 * Model validation: the structure (against the TypeBox schema) and then the rules a schema
 * cannot express: contiguous numeric bins, unique categories, defined reason codes, ordered
 * grades. Every problem names the field at fault (`characteristics[2].bins[1].min`).
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CredenceError } from '../errors.js';
import {
  CategoricalCharacteristicSchema,
  type Characteristic,
  MODEL_FORMAT,
  NumericCharacteristicSchema,
  type ScorecardModel,
  ScorecardModelSchema,
} from './model-format.js';

export interface ModelProblem {
  path: string;
  message: string;
}

/** Returns the problems with a candidate model document; an empty list means it is valid. */
export function findModelProblems(doc: unknown): ModelProblem[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [{ path: '', message: 'a model must be a JSON object' }];
  }
  const d = doc as Record<string, unknown>;
  const problems: ModelProblem[] = [];
  // Characteristics are checked one by one against the schema of their own type, so that an
  // error names the field rather than "expected union value".
  const { characteristics, ...rest } = d;
  structural(ScorecardModelSchema, { ...rest, characteristics: [] }, '', problems);
  // The placeholder array above is checked below, characteristic by characteristic.
  const top = problems.splice(0).filter((p) => p.path !== 'characteristics' && p.path !== 'format');
  // Said in our words, and with the rest rather than alone: a file of another format is usually
  // wrong elsewhere too.
  if (d.format !== MODEL_FORMAT) problems.push({ path: 'format', message: `must be "${MODEL_FORMAT}"` });
  problems.push(...top);
  if (!Array.isArray(characteristics)) {
    problems.push({ path: 'characteristics', message: 'must be an array' });
  } else if (characteristics.length === 0) {
    problems.push({ path: 'characteristics', message: 'must have at least one characteristic' });
  } else {
    characteristics.forEach((c, i) => {
      const path = `characteristics[${i}]`;
      const type = (c as { type?: unknown } | null)?.type;
      if (type === 'numeric') structural(NumericCharacteristicSchema, c, path, problems);
      else if (type === 'categorical') structural(CategoricalCharacteristicSchema, c, path, problems);
      else problems.push({ path: `${path}.type`, message: 'must be "numeric" or "categorical"' });
    });
  }
  if (problems.length > 0) return problems;
  semantic(doc as ScorecardModel, problems);
  return problems;
}

/** Validates a model document and returns it typed, or throws CREDENCE_INVALID_MODEL. */
export function parseModel(doc: unknown): ScorecardModel {
  const problems = findModelProblems(doc);
  if (problems.length > 0) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new CredenceError(
      'CREDENCE_INVALID_MODEL',
      `invalid model: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`,
      { errors: problems, ...(first.path ? { field: first.path } : {}) },
    );
  }
  return doc as ScorecardModel;
}

function structural(schema: TSchema, value: unknown, base: string, out: ModelProblem[]): void {
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const path = joinPath(base, e.path);
    if (seen.has(path)) continue; // the first error per field is the useful one
    seen.add(path);
    // JSON.parse reads a literal beyond the range of a double (1e400) as Infinity: a number, but
    // not one the schema takes. Said as the request parser says it.
    const message =
      typeof e.value === 'number' && !Number.isFinite(e.value)
        ? 'is a number too large to represent'
        : e.message.charAt(0).toLowerCase() + e.message.slice(1);
    out.push({ path, message });
  }
}

function joinPath(base: string, pointer: string): string {
  let path = base;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path;
}

function semantic(model: ScorecardModel, out: ModelProblem[]): void {
  const names = new Map<string, number>();
  const usedCodes: { code: string; path: string }[] = [];
  const useCode = (code: string | undefined, path: string) => {
    if (code !== undefined) usedCodes.push({ code, path: `${path}.reasonCode` });
  };

  model.characteristics.forEach((c: Characteristic, i) => {
    const path = `characteristics[${i}]`;
    const prior = names.get(c.name);
    if (prior !== undefined)
      out.push({ path: `${path}.name`, message: `duplicates characteristics[${prior}].name "${c.name}"` });
    names.set(c.name, i);
    useCode(c.missing.reasonCode, `${path}.missing`);

    if (c.type === 'numeric') {
      if (c.ratio && c.attribute) {
        out.push({
          path: `${path}.ratio`,
          message: 'a characteristic takes either attribute or ratio, not both',
        });
      }
      if (c.valid && c.valid.min !== undefined && c.valid.max !== undefined && !(c.valid.min <= c.valid.max))
        out.push({ path: `${path}.valid.max`, message: `must be at least valid.min (${c.valid.min})` });
      c.bins.forEach((b, j) => {
        const bp = `${path}.bins[${j}]`;
        useCode(b.reasonCode, bp);
        if (j === 0 && b.min !== undefined) {
          out.push({ path: `${bp}.min`, message: 'the first bin must be open below (omit min)' });
        }
        if (j > 0) {
          const prev = c.bins[j - 1]!;
          if (b.min === undefined)
            out.push({ path: `${bp}.min`, message: 'is required on every bin but the first' });
          else if (prev.max !== undefined && b.min !== prev.max) {
            out.push({ path: `${bp}.min`, message: `must equal the previous bin's max (${prev.max})` });
          }
        }
        if (j === c.bins.length - 1 && b.max !== undefined) {
          out.push({ path: `${bp}.max`, message: 'the last bin must be open above (omit max)' });
        }
        if (j < c.bins.length - 1 && b.max === undefined) {
          out.push({ path: `${bp}.max`, message: 'is required on every bin but the last' });
        }
        if (b.min !== undefined && b.max !== undefined && !(b.min < b.max)) {
          out.push({ path: `${bp}.max`, message: `must be greater than min (${b.min})` });
        }
      });
      const codes = new Map<number, string>();
      c.special?.forEach((b, j) => {
        const bp = `${path}.special[${j}]`;
        useCode(b.reasonCode, bp);
        b.values.forEach((v, k) => {
          const first = codes.get(v);
          if (first !== undefined)
            out.push({ path: `${bp}.values[${k}]`, message: `${v} is already in ${first}` });
          else codes.set(v, bp);
        });
      });
    } else {
      const seen = new Map<string, string>();
      c.bins.forEach((b, j) => {
        const bp = `${path}.bins[${j}]`;
        useCode(b.reasonCode, bp);
        b.values.forEach((v, k) => {
          const key = normaliseCategory(v);
          const first = seen.get(key);
          if (first !== undefined)
            out.push({ path: `${bp}.values[${k}]`, message: `"${v}" is already in ${first}` });
          else seen.set(key, bp);
        });
      });
      if (c.other) useCode(c.other.reasonCode, `${path}.other`);
    }
  });

  for (const { code, path } of usedCodes) {
    if (!Object.hasOwn(model.reasonCodes, code)) {
      out.push({ path, message: `reason code "${code}" is not defined in reasonCodes` });
    }
  }

  const gradeAt = new Map<string, number>();
  model.grades?.forEach((g, i) => {
    const prev = model.grades![i - 1];
    if (prev && !(g.minScore < prev.minScore)) {
      out.push({
        path: `grades[${i}].minScore`,
        message: `grades go from best to worst: must be below ${prev.minScore}`,
      });
    }
    // A grade names one score band: the same name twice would report two bands as one.
    const first = gradeAt.get(g.grade);
    if (first !== undefined)
      out.push({ path: `grades[${i}].grade`, message: `"${g.grade}" is already grades[${first}]` });
    else gradeAt.set(g.grade, i);
  });
}

/** Categories are matched case-insensitively, ignoring surrounding white space. */
export function normaliseCategory(value: string): string {
  return value.trim().toLowerCase();
}
