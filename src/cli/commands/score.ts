import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { invalidInput } from '../../domain/errors.js';
import { Scorecard } from '../../domain/scoring/scorecard.js';
import {
  type BatchProgress,
  SCORE_COLUMNS,
  scoreFile,
  trainedMissingValues,
} from '../../services/batch-scoring.js';
import { emit, fail } from '../output.js';
import { list, readJson, requireDistinctOutputs, requireOutputFolder } from './files.js';

/**
 * Progress on stderr, so that stdout keeps the result: a bar on a terminal, otherwise a plain line
 * at every tenth of the file (a log or a CI job has no use for a redrawn bar).
 */
function progressReporter(label: string): { update: (p: BatchProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    // Permille, so that the rate (and the time left) moves with every chunk read.
    bar.start(1000, 0, { rows: 0 });
    return {
      update: (p) => bar.update(Math.floor(p.share * 1000), { rows: p.rows.toLocaleString('en-US') }),
      stop: () => bar.stop(),
    };
  }
  let next = 0.1;
  return {
    update: (p) => {
      if (p.share + 1e-9 < next) return;
      while (next <= p.share + 1e-9) next += 0.1;
      process.stderr.write(`${label}: ${p.rows} rows (${Math.round(p.share * 100)} %)\n`);
    },
    stop: () => {},
  };
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description(
      `score every row of a CSV file with a model file; each row is written out followed by ${SCORE_COLUMNS.join(', ')}`,
    )
    .requiredOption('--model <file>', 'the model (JSON, as credence train writes it)')
    .requiredOption('--in <file>', 'applicants: CSV with a header line whose column names are the attributes')
    .requiredOption('--out <file>', 'where to write the scored CSV')
    .option(
      '--na <values>',
      'texts that mean missing, besides an empty field (default: those the model was trained with, from credence train --na)',
      list,
    )
    .option('--json', 'print {"rows", "seconds", "rowsPerSecond", ...} as one JSON object')
    .action(async (opts: { model: string; in: string; out: string; na?: string[]; json?: boolean }) => {
      try {
        const card = Scorecard.compile(readJson(opts.model, '--model'));
        if (!fs.existsSync(opts.in)) throw invalidInput('--in', `cannot read ${opts.in}: ENOENT`);
        // Neither input may be overwritten by the scored file.
        requireDistinctOutputs([
          { option: '--model', file: opts.model },
          { option: '--in', file: opts.in },
          { option: '--out', file: opts.out },
        ]);
        requireOutputFolder('--out', opts.out);
        const progress = opts.json ? null : progressReporter('scoring');
        let result: Awaited<ReturnType<typeof scoreFile>>;
        try {
          result = await scoreFile(
            card,
            opts.in,
            opts.out,
            progress?.update,
            opts.na ?? trainedMissingValues(card),
          );
        } finally {
          progress?.stop();
        }
        const rate = Math.round(result.rows / Math.max(result.seconds, 1e-9));
        emit(
          opts,
          { in: opts.in, out: opts.out, model: card.model.name, ...result, rowsPerSecond: rate },
          () =>
            [
              `scored ${result.rows} rows in ${result.seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} rows/s): ${opts.out}`,
              ...(result.absentColumns.length
                ? [`no column for ${result.absentColumns.join(', ')}: scored as missing`]
                : []),
            ].join('\n'),
        );
      } catch (err) {
        fail(opts, err);
      }
    });
}
