/**
 * `npm run bench:sms`: precision and recall of the SMS parser per field over the labelled corpus
 * (test/fixtures/sms-corpus.jsonl). Targets: precision >= 0.95 and recall >= 0.9 for the
 * transaction type and the amount. Writes bench/results/sms-*.json and lists the misses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EVALUATED_FIELDS, evaluateParser, type LabelledSms } from '../src/domain/features/sms/evaluate.js';
import { parseSms } from '../src/domain/features/sms/parse.js';
import { ROOT, writeResult } from './support.js';

const corpus = fs
  .readFileSync(path.join(ROOT, 'test/fixtures/sms-corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as LabelledSms);

const e = evaluateParser(corpus, (b) => parseSms(b));
const r3 = (n: number) => Math.round(n * 1000) / 1000;
console.log(`${e.messages} labelled messages\n`);
console.log('field        precision  recall   tp   fp   fn');
for (const f of EVALUATED_FIELDS) {
  const s = e.fields[f];
  console.log(
    `${f.padEnd(12)} ${r3(s.precision).toFixed(3).padStart(9)} ${r3(s.recall).toFixed(3).padStart(7)} ${String(s.truePositives).padStart(4)} ${String(s.falsePositives).padStart(4)} ${String(s.falseNegatives).padStart(4)}`,
  );
}
const targets = { precisionAtLeast: 0.95, recallAtLeast: 0.9, fields: ['type', 'amount'] };
const met = Object.fromEntries(
  targets.fields.map((f) => {
    const s = e.fields[f as 'type'];
    return [f, s.precision >= targets.precisionAtLeast && s.recall >= targets.recallAtLeast];
  }),
);
const result = {
  at: new Date().toISOString(),
  messages: e.messages,
  fields: Object.fromEntries(
    EVALUATED_FIELDS.map((f) => [
      f,
      { ...e.fields[f], precision: r3(e.fields[f].precision), recall: r3(e.fields[f].recall) },
    ]),
  ),
  targets,
  met,
  misses: e.misses,
};
const file = writeResult('sms', result);
console.log(`\n${e.misses.length} field misses (listed in ${file})`);
console.log(`targets met: ${JSON.stringify(met)}`);
if (Object.values(met).includes(false)) process.exitCode = 1;
