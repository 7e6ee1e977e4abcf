import type { Command } from 'commander';
import type { ApiKeyInfo } from '../../services/api-key-service.js';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';

const wire = (k: ApiKeyInfo) => ({
  id: k.id,
  tenant_id: k.tenantId,
  client_id: k.clientId,
  type: k.type,
  name: k.name,
  start: k.start,
  scopes: k.scopes,
  created_at: k.createdAt,
  expires_at: k.expiresAt,
  revoked_at: k.revokedAt,
});

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
    .requiredOption('--tenant <tenant>', 'tenant name or id')
    .option('--client <name>', 'the client (application) the key belongs to', 'default')
    .option('--type <type>', 'credential type', 'server')
    .option('--name <label>', 'a label to recognise the key by')
    .option('--scopes <scopes>', 'comma-separated scopes, e.g. cladfy,models:read (default: *)', list)
    .option('--expires <date>', 'expiry date-time (ISO 8601)')
    .option('--json', 'print the key as one JSON object; the key itself is the field "key"')
    .action(
      async (opts: {
        tenant: string;
        client: string;
        type: string;
        name?: string;
        scopes?: string[];
        expires?: string;
        json?: boolean;
      }) => {
        try {
          const k = await withContext((ctx) =>
            ctx.apiKeys.create({
              tenant: opts.tenant,
              client: opts.client,
              type: opts.type,
              name: opts.name,
              scopes: opts.scopes,
              expiresAt: opts.expires,
            }),
          );
          emit(opts, { ...wire(k), key: k.key }, () =>
            [
              `created ${k.type} key ${k.id} for tenant ${opts.tenant} (scopes: ${k.scopes.join(',')})`,
              '',
              `  ${k.key}`,
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
    .description("list a tenant's keys (never the keys themselves)")
    .requiredOption('--tenant <tenant>', 'tenant name or id')
    .option('--json', 'print {"keys": [...]}')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      try {
        const keys = (await withContext((ctx) => ctx.apiKeys.list(opts.tenant))).map(wire);
        emit(opts, { keys }, () =>
          table(keys, ['id', 'type', 'start', 'scopes', 'created_at', 'revoked_at']),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  key
    .command('revoke')
    .description('revoke a key, by its id (key_...) or by the key itself; it stops working within a second')
    .argument('<key>', 'key id or key')
    .option('--json', 'print the revoked key as one JSON object')
    .action(async (ref: string, opts: { json?: boolean }) => {
      try {
        const k = await withContext((ctx) => ctx.apiKeys.revoke(ref));
        emit(opts, wire(k), () => `revoked key ${k.id} (${k.start}...)`);
      } catch (err) {
        fail(opts, err);
      }
    });
}
