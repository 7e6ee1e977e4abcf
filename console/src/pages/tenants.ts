import { api, tenantPath } from '../api.js';
import { formValues, h, table, when } from '../dom.js';
import type { PageContext } from '../main.js';
import { submitting } from './forms.js';

interface Tenant {
  id: string;
  name: string;
  created_at: string;
  disabled: boolean;
}
interface Client {
  id: string;
  name: string;
  created_at: string;
}

export async function tenantsPage(ctx: PageContext): Promise<Node> {
  const { tenants } = await api<{ tenants: Tenant[] }>('/tenants');
  const out = h(
    'div',
    {},
    table(
      ['Name', 'Id', 'Created', 'Status'],
      tenants,
      (t) => [t.name, t.id, when(t.created_at), t.disabled ? 'disabled' : 'active'],
      'tenants',
    ),
    submitting(
      h(
        'form',
        { 'data-testid': 'create-tenant' },
        h('label', {}, 'New tenant', h('input', { name: 'name', required: true, placeholder: 'acme' })),
        h('button', { type: 'submit' }, 'Create tenant'),
      ),
      async (form) => {
        await api('/tenants', { method: 'POST', body: { name: formValues(form).name } });
        ctx.refresh();
      },
    ),
  );
  if (!ctx.tenant) return out;
  const { clients } = await api<{ clients: Client[] }>(tenantPath(ctx.tenant, '/clients'));
  out.append(
    h('h2', {}, `Clients of ${ctx.tenant}`),
    table(['Name', 'Id', 'Created'], clients, (c) => [c.name, c.id, when(c.created_at)], 'clients'),
    submitting(
      h(
        'form',
        {},
        h('label', {}, 'New client', h('input', { name: 'name', required: true, placeholder: 'mobile-app' })),
        h('button', { type: 'submit' }, 'Add client'),
      ),
      async (form) => {
        await api(tenantPath(ctx.tenant!, '/clients'), {
          method: 'POST',
          body: { name: formValues(form).name },
        });
        ctx.refresh();
      },
    ),
  );
  return out;
}
