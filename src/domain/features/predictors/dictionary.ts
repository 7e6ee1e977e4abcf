/** The predictor dictionary as Markdown (docs/finbox-predictors.md is this text; a test keeps it so). */
import { PREDICTOR_SETS } from './registry.js';

export function predictorDictionary(): string {
  const lines = [
    '# DeviceConnect predictor dictionary',
    '',
    'Written from `src/domain/features/predictors` by `npm run docs:predictors`. `_cN`: the last N',
    'days before the latest sync; `_mN`: calendar month N back (UTC). `flag`: 0 or 1. A value is',
    '`null` when the data to compute it is missing. Amounts are in the currency of the messages.',
    'An SMS, call, location or install dated up to 24 hours after the sync (a phone clock running',
    'fast) counts as of the sync; one dated later is left out (an app still counts as installed).',
    'A package the app list names more than once is one app, as its first entry says.',
    '',
  ];
  let previous = new Set<string>();
  for (const [version, defs] of PREDICTOR_SETS) {
    const added = defs.filter((d) => !previous.has(d.name));
    lines.push(`## Version ${version}`, '');
    if (previous.size > 0) lines.push(`Everything in version ${version - 1}, unchanged, and:`, '');
    lines.push('| name | type | window | meaning |', '|---|---|---|---|');
    for (const d of added) lines.push(`| \`${d.name}\` | ${d.type} | ${d.window} | ${d.meaning} |`);
    lines.push('');
    previous = new Set(defs.map((d) => d.name));
  }
  return lines.join('\n');
}
