import type { Command } from 'commander';
import type { OAuthClient } from '../../auth/oauth-clients.js';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';
import { resolveTenant } from '../tenant-option.js';
import { readJson } from './files.js';

const wire = (c: OAuthClient) => ({
  client_id: c.clientId,
  tenant_id: c.tenantId,
  application_id: c.applicationId,
  name: c.name,
  // How it authenticates, one method per client (OpenID Connect registration's field).
  token_endpoint_auth_method: c.tokenEndpointAuthMethod,
  secret_start: c.secretStart,
  grants: c.grants,
  scopes: c.scopes,
  created_at: c.createdAt,
  revoked_at: c.revokedAt,
  id_token_signed_response_alg: c.idTokenAlg,
});

const list = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean),
];

export function registerClientCommands(program: Command): void {
  const client = program
    .command('client')
    .description('manage OAuth 2.0 clients (client_id and client_secret)');

  client
    .command('create')
    .description(
      'create an OAuth client; its secret, if it has one, is printed once and stored only as a hash',
    )
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .requiredOption(
      '--grant <grant>',
      'grant type(s) it may use: client_credentials, urn:openid:params:grant-type:ciba (repeat or comma-separate)',
      list,
    )
    .option(
      '--scopes <scopes>',
      'comma-separated scopes, e.g. friendlyscore or customer-insights:scoring:read (default: *)',
      list,
    )
    .option('--application <name>', "the tenant's client (application) it acts for", 'default')
    .option('--name <label>', 'a label to recognise it by')
    .option(
      '--jwks <file>',
      'a JWK Set of its public keys: it then authenticates with a signed JWT only (private_key_jwt), and has no secret',
    )
    .option(
      '--id-token-alg <alg>',
      'what its ID tokens are signed with: RS256 (the OpenID Connect default) or ES256',
    )
    .option('--json', 'print one JSON object with client_id, and client_secret unless it has keys')
    .action(
      async (opts: {
        tenant?: string;
        grant: string[];
        scopes?: string[];
        application: string;
        name?: string;
        jwks?: string;
        idTokenAlg?: string;
        json?: boolean;
      }) => {
        try {
          const { created, webhookSecret, tenant } = await withContext(async (ctx) => {
            const tenant = await resolveTenant(ctx, opts.tenant);
            const c = await ctx.oauthClients.create({
              tenant: tenant.id,
              application: opts.application,
              name: opts.name,
              grants: opts.grant,
              scopes: opts.scopes,
              ...(opts.jwks !== undefined ? { jwks: readJson(opts.jwks, 'jwks') } : {}),
              idTokenAlg: opts.idTokenAlg,
            });
            // The application's webhook signing secret, made with its first OAuth client and shown once.
            return {
              tenant,
              created: c,
              webhookSecret: await ctx.webhooks.ensureSecret(c.tenantId, c.applicationId),
            };
          });
          // A client with keys has no secret to print: it signs its assertions with its own key.
          const secrets = {
            ...(created.clientSecret !== null ? { client_secret: created.clientSecret } : {}),
            ...(webhookSecret ? { webhook_secret: webhookSecret } : {}),
          };
          emit(opts, { ...wire(created), ...secrets }, () =>
            [
              `created OAuth client for tenant ${tenant.name} (grants: ${created.grants.join(',')}; scopes: ${created.scopes.join(',')})`,
              '',
              `  client_id:     ${created.clientId}`,
              ...(secrets.client_secret ? [`  client_secret: ${secrets.client_secret}`] : []),
              ...(secrets.webhook_secret ? [`  webhook_secret: ${secrets.webhook_secret}`] : []),
              '',
              ...(secrets.client_secret
                ? ['This is the only time the secret is shown. Store it now.']
                : [
                    'The client has no secret: it authenticates with a JWT signed by one of its keys (private_key_jwt).',
                    ...(secrets.webhook_secret
                      ? ['This is the only time the webhook secret is shown. Store it now.']
                      : []),
                  ]),
            ].join('\n'),
          );
        } catch (err) {
          fail(opts, err);
        }
      },
    );

  client
    .command('list')
    .description("list a tenant's OAuth clients (never their secrets)")
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print {"clients": [...]}')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      try {
        const clients = (
          await withContext(async (ctx) => ctx.oauthClients.list((await resolveTenant(ctx, opts.tenant)).id))
        ).map(wire);
        emit(opts, { clients }, () =>
          table(clients, [
            'client_id',
            'token_endpoint_auth_method',
            'grants',
            'scopes',
            'secret_start',
            'created_at',
            'revoked_at',
          ]),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  client
    .command('revoke')
    .description('revoke an OAuth client: no new tokens, and its tokens stop working within a second')
    .argument('<client_id>', 'the client_id')
    .option('--json', 'print the revoked client as one JSON object')
    .action(async (clientId: string, opts: { json?: boolean }) => {
      try {
        const c = await withContext((ctx) => ctx.oauthClients.revoke(clientId));
        emit(opts, wire(c), () => `revoked OAuth client ${c.clientId}`);
      } catch (err) {
        fail(opts, err);
      }
    });
}
