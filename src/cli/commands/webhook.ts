import type { Command } from 'commander';
import { withContext } from '../context.js';
import { emit, fail } from '../output.js';
import { resolveTenant } from '../tenant-option.js';

export function registerWebhookCommands(program: Command): void {
  const webhook = program.command('webhook').description('webhook signing secrets');

  webhook
    .command('secret')
    .description(
      "make a new signing secret for an application's webhooks, printed once; the previous one keeps signing for 24 hours",
    )
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--application <name>', "the tenant's client (application)", 'default')
    .option('--json', 'print {"webhook_secret": "whsec_..."}')
    .action(async (opts: { tenant?: string; application: string; json?: boolean }) => {
      try {
        const secret = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          const app = await ctx.tenants.client(tenant.id, opts.application);
          return ctx.webhooks.rotateSecret(tenant.id, app.id);
        });
        emit(opts, { webhook_secret: secret }, () =>
          [`  ${secret}`, '', 'This is the only time the secret is shown. Store it now.'].join('\n'),
        );
      } catch (err) {
        fail(opts, err);
      }
    });
}
