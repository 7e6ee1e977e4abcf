import { api, tenantPath } from '../api.js';
import { h, table, tableRows, when } from '../dom.js';
import type { PageContext } from '../main.js';
import { actionButton, noTenant } from './forms.js';

interface Delivery {
  id: string;
  event_type: string;
  url: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Deliveries per page; older ones are fetched a page at a time. */
const PAGE = 100;

export async function webhooksPage(ctx: PageContext): Promise<Node> {
  if (!ctx.tenant) return noTenant();
  const tenant = ctx.tenant;
  const page = (after?: string) =>
    api<{ deliveries: Delivery[]; next_cursor: string | null }>(
      tenantPath(
        tenant,
        `/webhook-deliveries?limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      ),
    );
  const first = await page();
  if (first.deliveries.length === 0)
    return h('p', { 'data-testid': 'deliveries' }, 'No webhook deliveries yet.');
  const cells = (d: Delivery) => [
    when(d.created_at),
    d.event_type,
    d.url,
    d.status,
    d.attempts,
    d.last_status_code ?? d.last_error ?? '',
    actionButton('Replay', async () => {
      await api(tenantPath(tenant, `/webhook-deliveries/${d.id}/replay`), { method: 'POST' });
      ctx.refresh();
    }),
  ];
  const list = table(
    ['Created', 'Event', 'Destination', 'Status', 'Attempts', 'Last answer', ''],
    first.deliveries,
    cells,
    'deliveries',
  );
  const body = list.querySelector('tbody')!;
  const more = h('div', {});
  // Newest first, a page at a time: older deliveries (a failed one among them) stay reachable.
  const showOlder = (cursor: string | null) => {
    more.replaceChildren(
      cursor
        ? actionButton('Older deliveries', async () => {
            const next = await page(cursor);
            body.append(...tableRows(next.deliveries, cells));
            showOlder(next.next_cursor);
          })
        : '',
    );
  };
  showOlder(first.next_cursor);
  return h('div', {}, list, more);
}
