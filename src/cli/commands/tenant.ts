import type { Command } from 'commander';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';

export function registerTenantCommands(program: Command): void {
  const tenant = program
    .command('tenant')
    .description('manage tenants (lenders, operators) sharing this deployment');

  tenant
    .command('create')
    .description('create a tenant')
    .argument('<name>', 'short name: lower-case letters, digits, "-" and "_"')
    .option('--json', 'print the tenant as one JSON object')
    .action(async (name: string, opts: { json?: boolean }) => {
      try {
        const t = await withContext((ctx) => ctx.tenants.create(name));
        emit(
          opts,
          { id: t.id, name: t.name, created_at: t.createdAt },
          () => `created tenant ${t.name} (${t.id})`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'print {"tenants": [...]}')
    .action(async (opts: { json?: boolean }) => {
      try {
        const list = await withContext((ctx) => ctx.tenants.list());
        const rows = list.map((t) => ({
          id: t.id,
          name: t.name,
          created_at: t.createdAt,
          disabled: t.disabled,
        }));
        emit(opts, { tenants: rows }, () => table(rows, ['id', 'name', 'created_at', 'disabled']));
      } catch (err) {
        fail(opts, err);
      }
    });
}
