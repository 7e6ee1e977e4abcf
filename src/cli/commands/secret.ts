import type { Command } from 'commander';
import type { RotationProgress } from '../../services/secret/key-rotation.js';
import { withContext } from '../context.js';
import { emit, fail } from '../output.js';
import { integerOption } from './files.js';

type Opts = { json?: boolean; batchSize: string };

export function registerSecretCommands(program: Command): void {
  const secret = program.command('secret').description('the secret key that encrypts personal data at rest');

  secret
    .command('rotate')
    .description(
      're-encrypt everything written under an older key with the first key of CREDENCE_SECRET_KEY, while the servers keep running; resumable (run it again after an interruption)',
    )
    .option('--batch-size <n>', 'rows per batch', '500')
    .option(
      '--json',
      'print the summary as one JSON object; progress goes to stderr, one JSON object per line',
    )
    .action(async (opts: Opts) => {
      try {
        const batchSize = integerOption(opts.batchSize, '--batch-size', 1);
        const onProgress = (p: RotationProgress) => {
          // stdout carries one JSON object, the summary; progress is for whoever watches stderr.
          if (opts.json) process.stderr.write(`${JSON.stringify({ progress: p })}\n`);
          else if (p.done) {
            process.stdout.write(
              `${p.table}: ${p.rotated} re-encrypted${p.skipped ? `, ${p.skipped} changed meanwhile` : ''}${p.failed ? `, ${p.failed} FAILED (no configured key decrypts them)` : ''}\n`,
            );
          }
        };
        const r = await withContext((ctx) => ctx.keyRotation.rotate({ batchSize, onProgress }));
        const failed = r.tables.reduce((n, t) => n + t.failed, 0);
        const ok = failed === 0 && r.remaining === 0;
        emit(
          opts,
          {
            done: true,
            ok,
            key_id: r.keyId,
            remaining: r.remaining,
            failed,
            unrehashable_applications: r.unrehashable,
          },
          () => {
            const summary = ok
              ? `done: everything is encrypted with key ${r.keyId}; the older keys can be dropped from CREDENCE_SECRET_KEY`
              : `not done: ${r.remaining} rows still hold data under another key (${failed} could not be decrypted)`;
            if (r.unrehashable === 0) return summary;
            return `${summary}\n${r.unrehashable} consortium applications reported without a credit-indicator call keep hashes under the key they were written with`;
          },
        );
        if (!ok) process.exitCode = 1;
      } catch (err) {
        fail(opts, err);
      }
    });
}
