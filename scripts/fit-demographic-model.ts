/**
 * Fits the starter `demographic_score` scorecard on data/credit_data.csv with the pipeline of
 * `credence train`, and writes models/demographic_score.json, docs/models/demographic-score.md and
 * its validation report docs/models/demographic-score.html.
 *
 *   npm run fit:demographic              fit and write both files
 *   npm run fit:demographic -- --check   fit and exit 1 if the files on disk differ
 *
 * The fit is deterministic (fixed seed, no clock), so running it twice gives identical bytes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderReportHtml } from '../src/domain/training/report-html.js';
import { renderDoc } from './demographic/doc.js';
import { fitDemographicModel } from './demographic/fit.js';
import { DOC, MODEL, REPORT, ROOT } from './demographic/inputs.js';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const result = await fitDemographicModel();
  const outputs = [
    { path: MODEL, text: `${JSON.stringify(result.model, null, 2)}\n` },
    { path: DOC, text: renderDoc(result) },
    { path: REPORT, text: renderReportHtml(result.report) },
  ];
  const t = result.card.test;
  const summary = `held-out AUC ${t.auc.toFixed(4)}, Gini ${t.gini.toFixed(4)}, KS ${t.ks.toFixed(4)}`;
  if (check) {
    const stale: string[] = [];
    for (const o of outputs) {
      const current = await readFile(join(ROOT, o.path), 'utf8').catch(() => null);
      if (current !== o.text) stale.push(o.path);
    }
    if (stale.length > 0) {
      console.error(`out of date: ${stale.join(', ')}; run npm run fit:demographic`);
      process.exitCode = 1;
      return;
    }
    console.log(`${MODEL}, ${DOC} and ${REPORT} are up to date (${summary})`);
    return;
  }
  for (const o of outputs) await writeFile(join(ROOT, o.path), o.text);
  console.log(`wrote ${MODEL}, ${DOC} and ${REPORT} (${summary})`);
}

await main();
