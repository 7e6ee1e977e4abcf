import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config.js';
import { startServer } from '../../server.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server (configured by CREDENCE_* environment variables; see README)')
    .action(async () => {
      try {
        await startServer(loadConfig(process.env));
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
