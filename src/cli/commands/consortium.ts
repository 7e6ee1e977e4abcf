import type { Command } from 'commander';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';
import { resolveTenant } from '../tenant-option.js';

type Json = { json?: boolean };

export function registerConsortiumCommands(program: Command): void {
  const consortium = program
    .command('consortium')
    .description('tenants that share loan applications for cross-lender (multiplatform) indicators');

  consortium
    .command('join')
    .description("add a tenant: its applications are shared from now on, and it sees the members' counts")
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print {"tenant_id", "joined", "joined_at"}')
    .action(async (opts: { tenant?: string } & Json) => {
      try {
        const { r, name } = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return { r: await ctx.consortium.join(tenant.id), name: tenant.name };
        });
        emit(opts, { tenant_id: r.tenantId, joined: r.joined, joined_at: r.joinedAt }, () =>
          r.joined
            ? `tenant ${name} joined the consortium`
            : `tenant ${name} is a member since ${r.joinedAt}`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  consortium
    .command('leave')
    .description('remove a tenant: its records stop counting at once (kept unless --purge)')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--purge', "also delete the tenant's shared applications")
    .option('--json', 'print {"tenant_id", "left", "purged"}')
    .action(async (opts: { tenant?: string; purge?: boolean } & Json) => {
      try {
        const { r, tenant } = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return { r: await ctx.consortium.leave(tenant.id, { purge: opts.purge === true }), tenant };
        });
        emit(
          opts,
          { tenant_id: tenant.id, ...r },
          () =>
            `${r.left ? `tenant ${tenant.name} left the consortium` : `tenant ${tenant.name} was not a member`}${r.purged ? `; deleted ${r.purged} applications` : ''}`,
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
