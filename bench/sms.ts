/**
 * `npm run bench:sms`: precision and recall of the SMS parser per field over the labelled corpus
 * (test/fixtures/sms-corpus.jsonl). Targets: precision >= 0.95 and recall >= 0.9 for the
 * transaction type and the amount. Writes bench/results/sms-*.json and lists the misses.
 *
 * It also times the slowest parse of made-up messages that nearly match (slowestParse below): a
 * pattern that backtracks without bound on such text would hold the event loop for seconds per
 * message. The target is at most 10 ms for the slowest.
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
/**
 * The slowest parse of made-up worst cases, and its time in ms: the start of a corpus message up
 * to one of its spaces, then one filler (spaces, digits, dashes...) repeated to the 2,000
 * characters a synced SMS may have. Such text nearly matches a template from its first words on.
 */
function slowestParse(): { message: string; ms: number } {
  const fillers = [' ', '1 ', '- ', '. ', 'a ', '1'];
  const step = Math.max(1, Math.floor(corpus.length / 300));
  let worst = { message: '', ms: 0 };
  for (let m = 0; m < corpus.length; m += step) {
    const text = corpus[m]!.body;
    const spaces = [...text.matchAll(/ /g)].map((x) => x.index!).slice(0, 12);
    for (const at of spaces)
      for (const f of fillers) {
        const body =
          `${text.slice(0, at + 1)}${f.repeat(Math.ceil(2000 / f.length))}`.slice(0, 1995) + 'x bal';
        const began = performance.now();
        parseSms(body);
        const ms = performance.now() - began;
        if (ms > worst.ms) worst = { message: `${body.slice(0, 60)}...`, ms: Math.round(ms * 100) / 100 };
      }
  }
  return worst;
}
const slowest = slowestParse();
console.log(
  `slowest parse of a made-up 2,000-character message: ${slowest.ms} ms (${JSON.stringify(slowest.message)})`,
);

const targets = {
  precisionAtLeast: 0.95,
  recallAtLeast: 0.9,
  fields: ['type', 'amount'],
  slowestMessageMsAtMost: 10,
};
const met = {
  ...Object.fromEntries(
    targets.fields.map((f) => {
      const s = e.fields[f as 'type'];
      return [f, s.precision >= targets.precisionAtLeast && s.recall >= targets.recallAtLeast];
    }),
  ),
  slowestMessage: slowest.ms <= targets.slowestMessageMsAtMost,
};
const result = {
  at: new Date().toISOString(),
  messages: e.messages,
  fields: Object.fromEntries(
    EVALUATED_FIELDS.map((f) => [
      f,
      { ...e.fields[f], precision: r3(e.fields[f].precision), recall: r3(e.fields[f].recall) },
    ]),
  ),
  slowestMessage: slowest,
  targets,
  met,
  misses: e.misses,
};
const file = writeResult('sms', result);
console.log(`\n${e.misses.length} field misses (listed in ${file})`);
console.log(`targets met: ${JSON.stringify(met)}`);
if (Object.values(met).includes(false)) process.exitCode = 1;
