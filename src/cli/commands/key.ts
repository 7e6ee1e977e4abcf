import type { Command } from 'commander';
import { ADMIN_KEY_CODE } from '../../auth/api-key-format.js';
import { invalidInput } from '../../domain/errors.js';
import type { AdminKeyInfo } from '../../services/admin-key-service.js';
import { apiKeyJson, type CreatedApiKey } from '../../services/api-key-service.js';
import type { CreatedServerKey } from '../../services/device/finbox-keys.js';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';
import { resolveTenant } from '../tenant-option.js';
import { integerOption } from './files.js';

const wire = apiKeyJson;
const adminWire = (k: AdminKeyInfo) => ({
  id: k.id,
  type: 'admin',
  name: k.name,
  start: k.start,
  created_at: k.createdAt,
  revoked_at: k.revokedAt,
});

async function createAdminKey(opts: { name?: string; json?: boolean }): Promise<void> {
  const k = await withContext((ctx) => ctx.adminKeys.create(opts.name));
  emit(opts, { ...adminWire(k), key: k.key }, () =>
    [
      `created admin key ${k.id}: it manages every tenant through /api/v1/admin and the console at /console`,
      '',
      `  ${k.key}`,
      '',
      'This is the only time the key is shown. Store it now.',
    ].join('\n'),
  );
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('manage API keys');

  key
    .command('create')
    .description('create an API key; the key is printed once and stored only as a hash')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--admin', "an operator's admin key for /api/v1/admin and the console; it belongs to no tenant")
    .option('--client <name>', 'the client (application) the key belongs to', 'default')
    .option('--type <type>', 'credential type: server, device (device sync only) or finbox-server', 'server')
    .option('--name <label>', 'a label to recognise the key by')
    .option(
      '--scopes <scopes>',
      'server keys: comma-separated scopes, e.g. cladfy,models:read (default: *)',
      list,
    )
    .option('--expires <date>', 'expiry date-time (ISO 8601), in the future')
    .option(
      '--ip-allow <cidrs>',
      'comma-separated CIDR blocks the key may call from (finbox-server keys: on the production path)',
      list,
    )
    .option(
      '--rate-limit <n>',
      'server and finbox-server keys: requests per second for this key (native, Cladfy, DeviceConnect)',
    )
    .option('--webhook-url <url>', 'finbox-server keys: where to notify that predictors are ready')
    .option('--json', 'print the key as one JSON object; the key itself is the field "key"')
    .action(
      async (opts: {
        tenant?: string;
        admin?: boolean;
        client: string;
        type: string;
        name?: string;
        scopes?: string[];
        expires?: string;
        ipAllow?: string[];
        rateLimit?: string;
        webhookUrl?: string;
        json?: boolean;
      }) => {
        try {
          if (opts.admin) {
            // An admin key belongs to no tenant and has no scopes, limits or expiry: an option it
            // would ignore is refused rather than silently dropped.
            const ignored = (
              [
                ['tenant', opts.tenant],
                ['scopes', opts.scopes],
                ['expires', opts.expires],
                ['ip-allow', opts.ipAllow],
                ['rate-limit', opts.rateLimit],
                ['webhook-url', opts.webhookUrl],
                ['client', opts.client === 'default' ? undefined : opts.client],
                ['type', opts.type === 'server' ? undefined : opts.type],
              ] as const
            ).find(([, v]) => v !== undefined);
            if (ignored)
              throw invalidInput(ignored[0], `--${ignored[0]} does not apply to an admin key (--admin)`);
            return await createAdminKey(opts);
          }
          const finbox = opts.type === 'finbox-server';
          if (!finbox && opts.webhookUrl)
            throw invalidInput('type', '--webhook-url is for --type finbox-server keys');
          // The range the key service takes (checkRateLimit), named as the option here.
          const rateLimit =
            opts.rateLimit === undefined
              ? undefined
              : integerOption(opts.rateLimit, '--rate-limit', 1, 100_000);
          let tenant = opts.tenant ?? '';
          const k: CreatedApiKey & Partial<Omit<CreatedServerKey, keyof CreatedApiKey>> = await withContext(
            async (ctx) => {
              tenant = (await resolveTenant(ctx, opts.tenant)).name;
              return finbox
                ? ctx.device.finboxKeys.create({
                    tenant,
                    client: opts.client,
                    name: opts.name,
                    ipAllow: opts.ipAllow,
                    webhookUrl: opts.webhookUrl,
                    expiresAt: opts.expires,
                    rateLimit,
                    scopes: opts.scopes,
                  })
                : ctx.apiKeys.create({
                    tenant,
                    client: opts.client,
                    type: opts.type,
                    name: opts.name,
                    scopes: opts.scopes,
                    expiresAt: opts.expires,
                    ipAllow: opts.ipAllow,
                    rateLimit,
                  });
            },
          );
          const extra =
            k.serverHash !== undefined
              ? {
                  server_hash: k.serverHash,
                  ip_allow: k.ipAllow,
                  webhook_url: k.webhookUrl,
                  ...(k.webhookSecret ? { webhook_secret: k.webhookSecret } : {}),
                }
              : {};
          emit(opts, { ...wire(k), key: k.key, ...extra }, () =>
            [
              `created ${k.type} key ${k.id} for tenant ${tenant} (scopes: ${k.scopes.join(',')})`,
              '',
              `  ${k.key}`,
              ...(k.serverHash !== undefined ? ['', `  SERVER_HASH ${k.serverHash}`] : []),
              ...(k.webhookSecret ? [`  webhook secret ${k.webhookSecret}`] : []),
              '',
              'This is the only time the key is shown. Store it now.',
            ].join('\n'),
          );
        } catch (err) {
          fail(opts, err);
        }
      },
    );

  key
    .command('list')
    .description("list a tenant's keys, or the admin keys (never the keys themselves)")
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--admin', 'list the admin keys')
    .option('--json', 'print {"keys": [...]}')
    .action(async (opts: { tenant?: string; admin?: boolean; json?: boolean }) => {
      try {
        if (opts.admin) {
          const keys = (await withContext((ctx) => ctx.adminKeys.list())).map(adminWire);
          emit(opts, { keys }, () => table(keys, ['id', 'name', 'start', 'created_at', 'revoked_at']));
          return;
        }
        const keys = (
          await withContext(async (ctx) => ctx.apiKeys.list((await resolveTenant(ctx, opts.tenant)).id))
        ).map(wire);
        emit(opts, { keys }, () =>
          table(keys, ['id', 'type', 'start', 'scopes', 'created_at', 'revoked_at']),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  key
    .command('revoke')
    .description(
      'revoke a key, by its id (key_..., adk_... for an admin key) or by the key itself; it stops working within a second',
    )
    .argument('<key>', 'key id or key')
    .option('--json', 'print the revoked key as one JSON object')
    .action(async (ref: string, opts: { json?: boolean }) => {
      try {
        if (ref.startsWith('adk_') || ref.trim().startsWith(`crd_${ADMIN_KEY_CODE}_`)) {
          const a = await withContext((ctx) => ctx.adminKeys.revoke(ref));
          emit(opts, adminWire(a), () => `revoked admin key ${a.id} (${a.start}...)`);
          return;
        }
        const k = await withContext((ctx) => ctx.apiKeys.revoke(ref));
        emit(opts, wire(k), () => `revoked key ${k.id} (${k.start}...)`);
      } catch (err) {
        fail(opts, err);
      }
    });
}
