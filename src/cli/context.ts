import pino from 'pino';
import { loggerOptions } from '../api/logger-options.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../context.js';

/**
 * Opens the same database the server uses (CREDENCE_DATABASE_URL), migrated and with the starter
 * models loaded, runs `fn`, and closes it.
 */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  // Notices (such as a newly generated secret key) go to stderr, keeping stdout for results.
  const logger = pino(
    { ...(loggerOptions(config) as pino.LoggerOptions), level: 'warn' },
    pino.destination(2),
  );
  // Loaded when a command first needs it, so that `--help` and commands without a database start
  // without loading every service.
  const { createContext } = await import('../context.js');
  const ctx = await createContext(config, { logger, writerThreadOnDemand: true });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
