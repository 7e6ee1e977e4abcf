import type { AppContext } from '../context.js';
import { invalidInput } from '../domain/errors.js';
import type { Principal } from '../services/principal.js';
import type { Tenant } from '../services/tenant-service.js';

/**
 * The tenant a command acts for: the one named by --tenant, or, when the option is left out, the
 * only tenant there is (a lender running Credence for itself has exactly one).
 */
export async function resolveTenant(ctx: AppContext, ref: string | undefined): Promise<Tenant> {
  if (ref !== undefined) return ctx.tenants.get(ref);
  const tenants = await ctx.tenants.list();
  if (tenants.length === 1) return tenants[0]!;
  throw invalidInput(
    'tenant',
    tenants.length === 0
      ? 'there is no tenant yet: create one with `credence tenant create NAME`'
      : `there are ${tenants.length} tenants: name one with --tenant`,
  );
}

/** The operator at the command line, acting for a tenant with every scope. */
export function cliPrincipal(tenant: Tenant): Principal {
  return { tenantId: tenant.id, clientId: 'cli', credentialId: 'cli', credentialType: 'cli', scopes: ['*'] };
}
