import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { emit, fail } from '../output.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (the server also does this on start)')
    .option('--json', 'print {"applied": [...]}')
    .action(async (opts: { json?: boolean }) => {
      try {
        const config = loadConfig(process.env);
        const [{ openDatabase }, { migrateToLatest }] = await Promise.all([
          import('../../db/database.js'),
          import('../../db/migrate.js'),
        ]);
        const handle = openDatabase(config.database);
        try {
          const applied = await migrateToLatest(handle);
          emit(opts, { applied }, () =>
            applied.length ? `applied ${applied.join(', ')}` : 'the schema is up to date',
          );
        } finally {
          await handle.close();
        }
      } catch (err) {
        fail(opts, err);
      }
    });
}
