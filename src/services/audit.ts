import type { Kysely } from 'kysely';
import { insertAudit } from '../db/repositories/audit.repository.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';

/** Records that something happened. `details` must never carry personal data. */
export async function audit(
  db: Kysely<Database>,
  clock: Clock,
  entry: {
    tenantId: string | null;
    actor: string;
    action: string;
    targetType: string;
    targetId: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await insertAudit(db, {
    id: newId('aud'),
    tenant_id: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    details: JSON.stringify(entry.details ?? {}),
    created_at: clock.now().toISOString(),
  });
}
