/**
 * `npm run bench:cv`: precision and recall of the CV parser per field over the corpus in
 * bench/cv-corpus (24 CVs as PDF, DOCX and text; regenerate with scripts/generate-cv-corpus.ts).
 * Each document goes through the same path as a real one (documentText, then extractCv); what it
 * found is compared with its expected file. Precision = found and expected / found; recall = found
 * and expected / expected, summed over the corpus. A work period counts as found when its start,
 * end and employer match. Exits 1 when a field misses its target (docs/cv-parser.md#accuracy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type CvExtraction, extractCv } from '../src/domain/cv/index.js';
import { documentText } from '../src/services/cv/document-text.js';
import { writeResult } from './support.js';

const DIR = path.resolve(import.meta.dirname, 'cv-corpus');
const FIELDS = [
  'emails',
  'phones',
  'days-of-birth',
  'places',
  'skills',
  'work-periods',
  'universities',
] as const;
type Field = (typeof FIELDS)[number];
const STRICT: readonly Field[] = ['emails', 'phones', 'days-of-birth'];
const target = (f: Field) =>
  STRICT.includes(f) ? { precision: 0.9, recall: 0.8 } : { precision: 0.7, recall: 0.7 };

const norm = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+]+/gu, ' ')
    .trim();

function keys(field: Field, values: CvExtraction[Field]): string[] {
  if (field === 'work-periods')
    return (values as CvExtraction['work-periods']).map((w) => `${w.from}|${w.to}|${norm(w.employer ?? '')}`);
  return (values as string[]).map(norm);
}

const counts = Object.fromEntries(FIELDS.map((f) => [f, { found: 0, expected: 0, matched: 0 }])) as Record<
  Field,
  { found: number; expected: number; matched: number }
>;
const misses: { file: string; field: Field; missing: string[]; extra: string[] }[] = [];
const files = fs.readdirSync(DIR).filter((f) => !f.endsWith('.json'));
const started = performance.now();
for (const file of files) {
  const expected = JSON.parse(
    fs.readFileSync(path.join(DIR, file.replace(/\.\w+$/, '.expected.json')), 'utf8'),
  ) as CvExtraction;
  const { text } = await documentText(fs.readFileSync(path.join(DIR, file)), 20_000);
  const found = extractCv(text, { now: new Date('2025-01-01T00:00:00Z') });
  for (const field of FIELDS) {
    const f = new Set(keys(field, found[field]));
    const e = new Set(keys(field, expected[field]));
    const matched = [...f].filter((k) => e.has(k));
    counts[field].found += f.size;
    counts[field].expected += e.size;
    counts[field].matched += matched.length;
    const missing = [...e].filter((k) => !f.has(k));
    const extra = [...f].filter((k) => !e.has(k));
    if (missing.length + extra.length > 0) misses.push({ file, field, missing, extra });
  }
}
const ms = performance.now() - started;

const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);
const fields = Object.fromEntries(
  FIELDS.map((f) => {
    const c = counts[f];
    const precision = ratio(c.matched, c.found);
    const recall = ratio(c.matched, c.expected);
    const t = target(f);
    return [f, { ...c, precision, recall, target: t, met: precision >= t.precision && recall >= t.recall }];
  }),
);
const result = {
  at: new Date().toISOString(),
  documents: files.length,
  formats: Object.fromEntries(
    ['pdf', 'docx', 'txt'].map((x) => [x, files.filter((f) => f.endsWith(x)).length]),
  ),
  ms_per_document: Math.round((ms / files.length) * 10) / 10,
  fields,
  misses,
};
console.log(`${files.length} CVs (${JSON.stringify(result.formats)}), ${result.ms_per_document} ms each\n`);
console.log(
  `${'field'.padEnd(14)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'found'.padStart(7)}${'expected'.padStart(10)}  target`,
);
for (const [f, r] of Object.entries(fields))
  console.log(
    `${f.padEnd(14)}${r.precision.toFixed(3).padStart(10)}${r.recall.toFixed(3).padStart(8)}${String(r.found).padStart(7)}${String(r.expected).padStart(10)}  P ≥ ${r.target.precision}, R ≥ ${r.target.recall} ${r.met ? 'met' : 'NOT MET'}`,
  );
if (process.argv.includes('--misses')) for (const m of misses) console.log(JSON.stringify(m));
console.log(`\nwritten to ${writeResult('cv', result)}`);
if (Object.values(fields).some((r) => !r.met)) process.exitCode = 1;
