import { api, tenantPath } from '../api.js';
import { formValues, h, list, table, when } from '../dom.js';
import type { PageContext } from '../main.js';
import { actionButton, noTenant, submitting } from './forms.js';

interface Key {
  id: string;
  client_id: string;
  type: string;
  name: string | null;
  start: string;
  scopes: string[];
  ip_allow: string[] | null;
  rate_limit: number | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A key whose expiry has passed works no more than a revoked one, and is shown as such. */
const expired = (k: Key) => k.expires_at !== null && Date.parse(k.expires_at) <= Date.now();

/**
 * A rate limit as typed: none when blank, else the number, or the text itself when it is not one,
 * for the server to refuse. (`Number('20/s')` is NaN, which JSON sends as null: the key's limit
 * would be cleared without a word.)
 */
const rateOf = (text: string | undefined) => {
  if (!text) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
};

type Option = 'scopes' | 'ip_allow' | 'rate_limit';
/**
 * What each key type lets an operator change (the server refuses the rest): a device key only its
 * IP allowlist; a DeviceConnect server key only its rate limit, its allowlist being fixed when it
 * was made.
 */
const EDITABLE: Record<string, readonly Option[]> = {
  server: ['scopes', 'ip_allow', 'rate_limit'],
  device: ['ip_allow'],
  'finbox-server': ['rate_limit'],
};

function editForm(k: Key, ctx: PageContext): HTMLFormElement {
  const editable = EDITABLE[k.type] ?? [];
  const inputs: Record<Option, () => Node> = {
    scopes: () => h('input', { name: 'scopes', value: k.scopes.join(','), 'aria-label': 'Scopes', size: 18 }),
    ip_allow: () =>
      h('input', {
        name: 'ip_allow',
        value: (k.ip_allow ?? []).join(','),
        'aria-label': 'IP allowlist',
        size: 16,
      }),
    rate_limit: () =>
      h('input', { name: 'rate_limit', value: k.rate_limit ?? '', 'aria-label': 'Rate limit', size: 5 }),
  };
  const fixed =
    k.type === 'finbox-server' && k.ip_allow?.length ? `IP allowlist ${k.ip_allow.join(',')} ` : '';
  return submitting(
    h(
      'form',
      { 'data-testid': `edit-${k.id}` },
      fixed,
      ...editable.map((o) => inputs[o]()),
      h('button', { type: 'submit' }, 'Save'),
    ),
    async (form) => {
      const v = formValues(form);
      const all = { scopes: list(v.scopes), ip_allow: list(v.ip_allow), rate_limit: rateOf(v.rate_limit) };
      await api(`/keys/${k.id}`, {
        method: 'PATCH',
        body: Object.fromEntries(editable.map((o) => [o, all[o]])),
      });
      ctx.refresh();
    },
  );
}

export async function keysPage(ctx: PageContext): Promise<Node> {
  if (!ctx.tenant) return noTenant();
  const tenant = ctx.tenant;
  const [{ keys }, { clients }] = await Promise.all([
    api<{ keys: Key[] }>(tenantPath(tenant, '/keys')),
    api<{ clients: { id: string; name: string }[] }>(tenantPath(tenant, '/clients')),
  ]);
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  const shown = h('div', { 'data-testid': 'new-key' });
  const create = submitting(
    h(
      'form',
      { 'data-testid': 'create-key' },
      h('label', {}, 'Name', h('input', { name: 'name', placeholder: 'backend' })),
      h(
        'label',
        {},
        'Client',
        h('select', { name: 'client' }, ...clients.map((c) => h('option', { value: c.name }, c.name))),
      ),
      h('label', {}, 'Scopes (comma-separated)', h('input', { name: 'scopes', placeholder: '*' })),
      h('label', {}, 'IP allowlist (CIDR)', h('input', { name: 'ip_allow', placeholder: '10.0.0.0/8' })),
      h('label', {}, 'Rate limit (/s)', h('input', { name: 'rate_limit', type: 'number', min: 1 })),
      h('label', {}, 'Expires', h('input', { name: 'expires_at', placeholder: '2027-06-30T18:00:00Z' })),
      h('button', { type: 'submit' }, 'Create key'),
    ),
    async (form) => {
      const v = formValues(form);
      const made = await api<Key & { key: string }>(tenantPath(tenant, '/keys'), {
        method: 'POST',
        body: {
          client: v.client || undefined,
          name: v.name || undefined,
          // Left blank, as its placeholder says, the key gets every scope: an empty list is refused.
          scopes: list(v.scopes).length > 0 ? list(v.scopes) : undefined,
          ip_allow: list(v.ip_allow),
          rate_limit: rateOf(v.rate_limit),
          expires_at: v.expires_at || undefined,
        },
      });
      shown.replaceChildren(
        h('p', {}, 'The new key, shown this once. Store it now:'),
        h('p', { class: 'secret', 'data-testid': 'secret' }, made.key),
      );
      const fresh = await api<{ keys: Key[] }>(tenantPath(tenant, '/keys'));
      body.replaceChildren(keyTable(fresh.keys));
    },
  );
  const keyTable = (rows: Key[]) =>
    table(
      ['Name', 'Start', 'Type', 'Client', 'Created', 'Scopes / IP allowlist / rate limit', 'Status'],
      rows,
      (k) => [
        k.name ?? '',
        `${k.start}…`,
        k.type,
        clientName.get(k.client_id) ?? k.client_id,
        when(k.created_at),
        k.revoked_at || expired(k) ? `${k.scopes.join(',')}` : editForm(k, ctx),
        k.revoked_at
          ? `revoked ${when(k.revoked_at)}`
          : expired(k)
            ? `expired ${when(k.expires_at)}`
            : h(
                'span',
                {},
                k.expires_at ? `expires ${when(k.expires_at)} ` : '',
                actionButton('Revoke', async () => {
                  if (!confirm(`Revoke ${k.start}…? Every replica refuses it within a second.`)) return;
                  await api(`/keys/${k.id}/revoke`, { method: 'POST' });
                  ctx.refresh();
                }),
              ),
      ],
      'keys',
    );
  const body = h('div', {}, keyTable(keys));
  return h('div', {}, create, shown, body);
}
