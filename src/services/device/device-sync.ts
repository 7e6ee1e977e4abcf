/**
 * Device sync: what a lender's Android app sends for a customer, in batches. A batch is stored
 * once per (customer, batch id), in one transaction with the jobs it causes: featurization of the
 * customer's new data and, once the retention passes, the deletion of the raw SMS text. SMS are
 * parsed on arrival and deduplicated by a keyed hash of sender, time and text; the rest of the
 * device data is kept as data records (docs/data-records.md).
 */
import type { Kysely } from 'kysely';
import {
  advanceWatermark,
  findBatch,
  insertBatch,
  insertSms,
  lockDeviceState,
  purgeSmsBodies,
  updateBatchSummary,
} from '../../db/repositories/device.repository.js';
import {
  ensureSubjects,
  findSubjectByPartnerId,
  subjectKey,
} from '../../db/repositories/subject.repository.js';
import type { Database } from '../../db/schema.js';
import type {
  CallEntry,
  DeviceInfo,
  InstalledApp,
  LocationFix,
  SmsFact,
} from '../../domain/features/device/types.js';
import { PREDICTOR_VERSIONS } from '../../domain/features/predictors/registry.js';
import { parseSms } from '../../domain/features/sms/parse.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { newId, timeOrderedHex } from '../../lib/ids.js';
import { Pacer } from '../../lib/pacer.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { DataRecordService, NewDataRecord } from '../data-records.js';
import type { Principal } from '../principal.js';

export const FEATURIZE_JOB = 'device.featurize';
export const SMS_RETENTION_JOB = 'device.sms-retention';
const SOURCE = 'device-sync';
/** Messages inserted between two chances for the event loop to serve other requests. */
const SMS_SLICE = 2000;

/** Data record kinds of device data (docs/data-records.md). */
export const DEVICE_KINDS = {
  apps: 'device_apps',
  calls: 'device_calls',
  contacts: 'device_contacts',
  info: 'device_info',
  locations: 'device_locations',
  permissions: 'device_permissions',
  /** The parsed facts of the messages a batch stored, in one record (see `sync`). */
  smsFacts: 'device_sms_facts',
} as const;

export interface DeviceBatch {
  customerId: string;
  batchId: string;
  sms: readonly { sender: string; body: string; timestamp: number }[];
  apps?: readonly InstalledApp[] | undefined;
  calls?: readonly CallEntry[] | undefined;
  contactsCount?: number | undefined;
  device?: DeviceInfo | undefined;
  locations?: readonly LocationFix[] | undefined;
  permissions?: readonly string[] | undefined;
}

export interface SyncSummary {
  customer_id: string;
  batch_id: string;
  received_at: string;
  stored: {
    sms: number;
    sms_duplicates: number;
    apps: number;
    calls: number;
    contacts: boolean;
    device: boolean;
    locations: number;
    permissions: number;
  };
}

export interface FeaturizePayload {
  tenantId: string;
  subjectId: string;
  watermark: string;
}

export class DeviceSyncService {
  /** Called once a batch that moved a customer's data commits, so caches here see it at once. */
  onSynced: ((tenantId: string, customerId: string) => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly records: DataRecordService,
    private readonly queue: JobQueue,
    private readonly retentionMs: number,
  ) {
    queue.register(SMS_RETENTION_JOB, async (_p, job) => {
      await job.transaction((trx) => purgeSmsBodies(trx, this.clock.now().toISOString()));
    });
  }

  private async storedSummary(tenantId: string, batch: DeviceBatch): Promise<SyncSummary | undefined> {
    const subject = await findSubjectByPartnerId(this.db, tenantId, batch.customerId);
    const prior = subject && (await findBatch(this.db, tenantId, subject.id, batch.batchId));
    return prior ? summaryOf(prior) : undefined;
  }

  /** Stores a batch; a batch id the customer sent before is answered with what it stored then. */
  async sync(who: Principal, batch: DeviceBatch): Promise<{ replayed: boolean; summary: SyncSummary }> {
    // A resent batch is answered before its messages are parsed and encrypted for nothing; the
    // transaction below still catches one stored meanwhile.
    const stored = await this.storedSummary(who.tenantId, batch);
    if (stored) return { replayed: true, summary: stored };
    const now = this.clock.now();
    const at = now.toISOString();
    const fresh: SyncSummary = {
      customer_id: batch.customerId,
      batch_id: batch.batchId,
      received_at: at,
      stored: {
        sms: 0,
        sms_duplicates: 0,
        apps: batch.apps?.length ?? 0,
        calls: batch.calls?.length ?? 0,
        contacts: batch.contactsCount !== undefined,
        device: batch.device !== undefined,
        locations: batch.locations?.length ?? 0,
        permissions: batch.permissions?.length ?? 0,
      },
    };
    // Parsing and encryption happen before the transaction, so it holds its locks briefly, and in
    // slices: a batch of 20,000 messages would otherwise hold the event loop for its whole parse.
    const expires = new Date(now.getTime() + this.retentionMs).toISOString();
    const pacer = new Pacer();
    // Each message's parsed fact goes into one record per batch rather than one ciphertext per
    // message: featurization reads and decrypts a customer's facts in one piece (docs/performance.md).
    const facts = new Map<string, SmsFact>();
    const messages: Omit<Database['device_sms'], 'tenant_id' | 'subject_id'>[] = [];
    const seen = new Set<string>();
    for (const m of batch.sms) {
      if (pacer.due()) await pacer.yield();
      const fingerprint = this.cipher.blindIndex(
        'device_sms',
        `${m.sender}\u0000${m.timestamp}\u0000${m.body}`,
      );
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      const id = newId('sms');
      facts.set(id, { time: m.timestamp, sender: m.sender, parsed: parseSms(m.body) });
      messages.push({
        id,
        fingerprint,
        // The fact is in the batch's `device_sms_facts` record.
        fact: '',
        body: this.retentionMs > 0 ? this.cipher.encrypt(m.body) : null,
        body_expires_at: this.retentionMs > 0 ? expires : null,
        created_at: at,
      });
    }
    const result = await this.db.transaction().execute(async (trx) => {
      const ids = await ensureSubjects(trx, [
        { tenantId: who.tenantId, partnerId: batch.customerId, newId: newId('sub'), at },
      ]);
      const subjectId = ids.get(subjectKey(who.tenantId, batch.customerId))!;
      const inserted = await insertBatch(trx, {
        tenant_id: who.tenantId,
        subject_id: subjectId,
        batch_id: batch.batchId,
        // Set below, once the customer's state is locked.
        seq: '',
        summary: JSON.stringify(fresh),
        received_at: at,
      });
      if (!inserted) {
        const prior = await findBatch(trx, who.tenantId, subjectId, batch.batchId);
        return { replayed: true, summary: summaryOf(prior!) };
      }
      // Every stored batch moves the watermark past the one before it, in the order the batches
      // commit: a batch whose clock is behind (another server's, or this one's stepped back), or
      // that took longer to commit than a newer one, would otherwise leave the watermark where it
      // was, and its data out of the predictors already computed for that watermark.
      const prior = await lockDeviceState(trx, { tenant_id: who.tenantId, subject_id: subjectId, at });
      const seq = nextWatermark(now.getTime(), prior.watermark);
      // Nor does its time, which also dates its records: the newest app list, device and the like
      // are the ones dated last, so this batch's must be dated after the last batch's.
      const asOf = prior.watermark === '' || prior.as_of < at ? at : after(prior.as_of);
      const rows = messages.map((m) => ({ tenant_id: who.tenantId, subject_id: subjectId, ...m }));
      const stored = new Set<string>();
      for (let i = 0; i < rows.length; i += SMS_SLICE) {
        await pacer.pause();
        for (const id of await insertSms(trx, rows.slice(i, i + SMS_SLICE))) stored.add(id);
      }
      fresh.stored.sms = stored.size;
      fresh.stored.sms_duplicates = batch.sms.length - stored.size;
      await updateBatchSummary(trx, who.tenantId, subjectId, batch.batchId, {
        summary: JSON.stringify(fresh),
        seq,
      });
      const records = this.recordsOf(batch);
      if (stored.size > 0)
        records.push({
          kind: DEVICE_KINDS.smsFacts,
          source: SOURCE,
          data: rows.filter((r) => stored.has(r.id)).map((r) => facts.get(r.id)!),
        });
      await this.records.add(who.tenantId, subjectId, records, trx, asOf);
      await advanceWatermark(trx, {
        tenant_id: who.tenantId,
        subject_id: subjectId,
        watermark: seq,
        as_of: asOf,
        updated_at: at,
      });
      await this.queue.enqueue<FeaturizePayload>(
        FEATURIZE_JOB,
        { tenantId: who.tenantId, subjectId, watermark: seq },
        { key: featurizeKey(subjectId, seq), tenantId: who.tenantId, subjectId, transaction: trx },
      );
      if (stored.size > 0 && this.retentionMs > 0)
        await this.queue.enqueue(
          SMS_RETENTION_JOB,
          {},
          { key: `sms:${seq}`, runAt: new Date(expires), tenantId: who.tenantId, transaction: trx },
        );
      return { replayed: false, summary: fresh };
    });
    if (!result.replayed) {
      this.onSynced?.(who.tenantId, batch.customerId);
      this.queue.wake();
    }
    return result;
  }

  private recordsOf(b: DeviceBatch): NewDataRecord[] {
    const out: NewDataRecord[] = [];
    const add = (kind: string, data: unknown) => out.push({ kind, source: SOURCE, data });
    if (b.apps && b.apps.length > 0) add(DEVICE_KINDS.apps, b.apps);
    if (b.calls && b.calls.length > 0) add(DEVICE_KINDS.calls, b.calls);
    if (b.contactsCount !== undefined) add(DEVICE_KINDS.contacts, { count: b.contactsCount });
    if (b.device) add(DEVICE_KINDS.info, b.device);
    if (b.locations && b.locations.length > 0) add(DEVICE_KINDS.locations, b.locations);
    if (b.permissions) add(DEVICE_KINDS.permissions, b.permissions);
    return out;
  }
}

/** The millisecond after an ISO 8601 time. */
const after = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();

/**
 * A customer's next data watermark: time-ordered by `now`, and after `previous` even when the
 * clock says otherwise (then a millisecond after it).
 */
export function nextWatermark(now: number, previous: string): string {
  const next = timeOrderedHex(now);
  if (next > previous) return next;
  return timeOrderedHex(Number.parseInt(previous.slice(0, 12), 16) + 1);
}

/**
 * One featurization per customer, data watermark and release of the predictor sets (named by its
 * newest version): once a new version is published, data featurized before gets a job of its own
 * for it, instead of finding the completed job of the older release.
 */
export const featurizeKey = (subjectId: string, watermark: string) =>
  `${subjectId}:${watermark}:v${PREDICTOR_VERSIONS.at(-1)}`;

const summaryOf = (batch: { summary: string }) => JSON.parse(batch.summary) as SyncSummary;
