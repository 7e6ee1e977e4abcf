import { api, tenantPath } from '../api.js';
import { h, table, when } from '../dom.js';
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

export async function webhooksPage(ctx: PageContext): Promise<Node> {
  if (!ctx.tenant) return noTenant();
  const tenant = ctx.tenant;
  const { deliveries } = await api<{ deliveries: Delivery[] }>(
    tenantPath(tenant, '/webhook-deliveries?limit=100'),
  );
  if (deliveries.length === 0) return h('p', { 'data-testid': 'deliveries' }, 'No webhook deliveries yet.');
  return table(
    ['Created', 'Event', 'Destination', 'Status', 'Attempts', 'Last answer', ''],
    deliveries,
    (d) => [
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
    ],
    'deliveries',
  );
}
