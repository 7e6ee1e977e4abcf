/**
 * Housekeeping on a timer while the server is up: `task` every `everyMs`, not keeping the process
 * alive, its failure logged (the next round tries again).
 */
import type { FastifyInstance } from 'fastify';

export function sweepEvery(
  app: FastifyInstance,
  everyMs: number,
  what: string,
  task: () => Promise<unknown>,
): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      task().catch((err) => app.log.warn({ err }, `could not ${what}`));
    }, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
