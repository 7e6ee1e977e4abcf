import type { Command } from 'commander';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';

type Json = { json?: boolean };

export function registerConsortiumCommands(program: Command): void {
  const consortium = program
    .command('consortium')
    .description('tenants that share loan applications for cross-lender (multiplatform) indicators');

  consortium
    .command('join')
    .description("add a tenant: its applications are shared from now on, and it sees the members' counts")
    .requiredOption('--tenant <tenant>', 'tenant name or id')
    .option('--json', 'print {"tenant_id", "joined", "joined_at"}')
    .action(async (opts: { tenant: string } & Json) => {
      try {
        const r = await withContext((ctx) => ctx.consortium.join(opts.tenant));
        emit(opts, { tenant_id: r.tenantId, joined: r.joined, joined_at: r.joinedAt }, () =>
          r.joined
            ? `tenant ${opts.tenant} joined the consortium`
            : `tenant ${opts.tenant} is a member since ${r.joinedAt}`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  consortium
    .command('leave')
    .description('remove a tenant: its records stop counting at once (kept unless --purge)')
    .requiredOption('--tenant <tenant>', 'tenant name or id')
    .option('--purge', "also delete the tenant's shared applications")
    .option('--json', 'print {"left", "purged"}')
    .action(async (opts: { tenant: string; purge?: boolean } & Json) => {
      try {
        const r = await withContext((ctx) =>
          ctx.consortium.leave(opts.tenant, { purge: opts.purge === true }),
        );
        emit(
          opts,
          r,
          () =>
            `${r.left ? `tenant ${opts.tenant} left the consortium` : `tenant ${opts.tenant} was not a member`}${r.purged ? `; deleted ${r.purged} applications` : ''}`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  consortium
    .command('list')
    .description('list the member tenants')
    .option('--json', 'print {"members": [...]}')
    .action(async (opts: Json) => {
      try {
        const members = (await withContext((ctx) => ctx.consortium.members())).map((m) => ({
          tenant_id: m.tenantId,
          name: m.name,
          joined_at: m.joinedAt,
        }));
        emit(opts, { members }, () => table(members, ['name', 'tenant_id', 'joined_at']));
      } catch (err) {
        fail(opts, err);
      }
    });
}
