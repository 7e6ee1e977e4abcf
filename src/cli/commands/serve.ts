import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server (configured by CREDENCE_* environment variables; see README)')
    .option('--no-worker', 'serve the API only; background jobs run in `credence worker` processes')
    .action(async (o: { worker: boolean }) => {
      try {
        const config = loadConfig(process.env);
        // Loaded here, not with the program: the other commands never need the HTTP server.
        const { startServer } = await import('../../server.js');
        await startServer(config, { startWorkers: o.worker });
      } catch (err) {
        if (err instanceof ConfigError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        process.stderr.write(`credence: could not start: ${(err as Error).message}\n`);
        process.exit(1);
      }
    });
}
