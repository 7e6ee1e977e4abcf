/**
 * Featurization: a customer's synced data becomes predictor sets, one per version, computed in one
 * job per data watermark and kept (encrypted) per customer, watermark and version. A request for
 * a watermark not yet featurized finds or enqueues its job and is told to come back. When a job
 * completes, each DeviceConnect server key of the tenant with a webhook is notified.
 */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import {
  findDeviceCustomer,
  findDeviceState,
  findNotice,
  findPredictors,
  insertNotice,
  insertPredictors,
  listSmsFacts,
} from '../../db/repositories/device.repository.js';
import { listWebhookKeys } from '../../db/repositories/finbox-key.repository.js';
import { findSubjectById } from '../../db/repositories/subject.repository.js';
import type { Database } from '../../db/schema.js';
import type { DevicePredictorsRow } from '../../db/schema-device.js';
import { CredenceError } from '../../domain/errors.js';
import type {
  CallEntry,
  DeviceInfo,
  DeviceSnapshot,
  InstalledApp,
  LocationFix,
  SmsFact,
} from '../../domain/features/device/types.js';
import { isEmptySnapshot } from '../../domain/features/device/types.js';
import {
  computePredictorSets,
  PREDICTOR_VERSIONS,
  type Predictor,
} from '../../domain/features/predictors/registry.js';
import { finboxSalt } from '../../domain/finbox/salt.js';
import type { JobContext, JobQueue } from '../../jobs/queue.js';
import type { Clock } from '../../lib/clock.js';
import { timeOrderedHex } from '../../lib/ids.js';
import { Pacer } from '../../lib/pacer.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { WebhookService } from '../../webhooks/webhook-service.js';
import type { DataRecordService } from '../data-records.js';
import { DEVICE_KINDS, FEATURIZE_JOB, type FeaturizePayload, featurizeKey } from './device-sync.js';

export type PredictorsState =
  | { state: 'not_found' }
  | { state: 'pending' }
  | { state: 'complete'; predictors: Predictor[]; processedAt: string }
  | { state: 'no_data'; processedAt: string };

/** What a request needs to know of a customer: its subject and data watermark (null: none). */
interface CustomerEntry {
  subjectId: string | null;
  watermark: string | null;
}

/** A featurization that failed for good is started again by requests at most once this often. */
const REFEATURIZE_WINDOW_MS = 60_000;

/** How long a webhook's request_id can be fetched by (the vendor's 24 hours). */
export const NOTICE_TTL_MS = 24 * 3600_000;

export class DeviceFeaturization {
  /**
   * Computed sets never change (a watermark's data is fixed), so they are kept in memory; a hit
   * returns the same objects, which lets a caller memoise what it derives from them.
   */
  private readonly cache = new LRUCache<string, PredictorsState>({ max: 20_000 });
  /**
   * Customer to subject and watermark, for at most `customerTtlMs` (default 1 s, like API keys):
   * a sync in this process forgets its customer at once, one in another process is seen within
   * that time. Zero turns the cache off.
   */
  private readonly customers: LRUCache<string, CustomerEntry> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly records: DataRecordService,
    private readonly queue: JobQueue,
    private readonly webhooks: WebhookService,
    options: { customerTtlMs?: number } = {},
  ) {
    const ttl = options.customerTtlMs ?? 1000;
    this.customers = ttl > 0 ? new LRUCache({ max: 50_000, ttl }) : undefined;
    queue.register<FeaturizePayload>(FEATURIZE_JOB, (p, job) => this.featurize(p, job), {
      concurrency: 2,
      maxAttempts: 5,
    });
  }

  /** The customer's predictors of a version, as of the latest sync. */
  async predictors(tenantId: string, customerId: string, version: number): Promise<PredictorsState> {
    const c = await this.customer(tenantId, customerId);
    if (!c.subjectId || !c.watermark) return { state: 'not_found' };
    return this.at(tenantId, c.subjectId, c.watermark, version);
  }

  /** Forgets what is cached of a customer (called once a sync of it commits in this process). */
  forget(tenantId: string, customerId: string): void {
    this.customers?.delete(`${tenantId}\u0000${customerId}`);
  }

  private async customer(tenantId: string, customerId: string): Promise<CustomerEntry> {
    const key = `${tenantId}\u0000${customerId}`;
    const hit = this.customers?.get(key);
    if (hit) return hit;
    const row = await findDeviceCustomer(this.db, tenantId, customerId);
    const entry = { subjectId: row?.subject_id ?? null, watermark: row?.watermark ?? null };
    this.customers?.set(key, entry);
    return entry;
  }

  /**
   * The predictors a webhook announced, by its request_id: the customer's data as it was then.
   * Undefined when the id is unknown, expired, about another customer, or was announced to
   * another server key (each key with a webhook gets its own request_id).
   */
  async byNotice(
    tenantId: string,
    apiKeyId: string,
    requestId: string,
    customerId: string,
    version: number,
  ): Promise<PredictorsState | undefined> {
    const n = await findNotice(this.db, tenantId, requestId);
    if (!n || n.api_key_id !== apiKeyId) return undefined;
    if (Date.parse(n.created_at) + NOTICE_TTL_MS <= this.clock.now().getTime()) return undefined;
    const subject = await findSubjectById(this.db, tenantId, n.subject_id);
    if (subject?.partner_id !== customerId) return undefined;
    return this.at(tenantId, n.subject_id, n.watermark, version);
  }

  private async at(
    tenantId: string,
    subjectId: string,
    watermark: string,
    version: number,
  ): Promise<PredictorsState> {
    const key = `${tenantId}\u0000${subjectId}\u0000${watermark}\u0000${version}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const row = await findPredictors(this.db, tenantId, subjectId, watermark, version);
    if (row) {
      const state = this.stateOf(row);
      this.cache.set(key, state);
      return state;
    }
    const job = featurizeKey(subjectId, watermark);
    if ((await this.featurizing(tenantId, subjectId, watermark, job)) === 'failed') {
      // Every attempt failed. What failed may have passed (the database, say) while the data has
      // not changed, so a request starts it again, at most once a window; within a window whose
      // attempt failed too, the request fails, and the client's retry comes back later.
      const window = Math.floor(this.clock.now().getTime() / REFEATURIZE_WINDOW_MS);
      const again = await this.featurizing(tenantId, subjectId, watermark, `${job}:again:${window}`);
      if (again === 'failed')
        throw new CredenceError('CREDENCE_INTERNAL', `featurization of ${subjectId} at ${watermark} failed`);
    }
    return { state: 'pending' };
  }

  /** Finds or enqueues the featurization job of `key`: started, still to finish, or failed for good. */
  private async featurizing(
    tenantId: string,
    subjectId: string,
    watermark: string,
    key: string,
  ): Promise<'started' | 'waiting' | 'failed'> {
    const job = await this.queue.enqueue<FeaturizePayload>(
      FEATURIZE_JOB,
      { tenantId, subjectId, watermark },
      { key, tenantId, subjectId },
    );
    if (job.created) {
      this.queue.wake();
      return 'started';
    }
    const info = await this.queue.get(job.id);
    return info?.status === 'failed' || info?.status === 'cancelled' ? 'failed' : 'waiting';
  }

  private stateOf(row: DevicePredictorsRow): PredictorsState {
    if (row.status !== 'complete' || !row.predictors)
      return { state: 'no_data', processedAt: row.processed_at };
    const predictors = JSON.parse(this.cipher.decrypt(row.predictors)) as Predictor[];
    return { state: 'complete', predictors, processedAt: row.processed_at };
  }

  /**
   * The customer's version-`version` predictors now: the stored set when the latest sync was
   * featurized, else computed on the spot (without storing it). Undefined for an unknown customer.
   */
  async current(
    tenantId: string,
    customerId: string,
    version: number,
  ): Promise<{ subjectId: string; predictors: Predictor[] | null } | undefined> {
    const c = await findDeviceCustomer(this.db, tenantId, customerId);
    if (!c?.watermark || !c.as_of) return undefined;
    const stored = await findPredictors(this.db, tenantId, c.subject_id, c.watermark, version);
    if (stored) {
      const s = this.stateOf(stored);
      return { subjectId: c.subject_id, predictors: s.state === 'complete' ? s.predictors : null };
    }
    const snapshot = await this.snapshot(tenantId, c.subject_id, Date.parse(c.as_of));
    if (isEmptySnapshot(snapshot)) return { subjectId: c.subject_id, predictors: null };
    return {
      subjectId: c.subject_id,
      predictors: computePredictorSets(snapshot, [version]).get(version) ?? null,
    };
  }

  /** Everything synced for the customer, as featurization reads it. */
  async snapshot(tenantId: string, subjectId: string, asOf: number): Promise<DeviceSnapshot> {
    // A customer's data grows with every sync: it is read in slices, other requests in between.
    const pacer = new Pacer();
    const sms: SmsFact[] = [];
    for (const f of await listSmsFacts(this.db, tenantId, subjectId)) {
      sms.push(JSON.parse(this.cipher.decrypt(f)) as SmsFact);
      if (pacer.due()) await pacer.yield();
    }
    const records = await this.records.list(tenantId, subjectId, Object.values(DEVICE_KINDS), pacer);
    let apps: InstalledApp[] = [];
    let contacts: number | null = null;
    let device: DeviceInfo | null = null;
    let permissions: string[] = [];
    const calls = new Map<string, CallEntry>();
    const locations = new Map<string, LocationFix>();
    // Records come oldest first: the newest app list, contacts count, device and permissions win;
    // calls and locations accumulate, each entry once.
    for (const r of records) {
      if (r.kind === DEVICE_KINDS.smsFacts) for (const f of r.data as SmsFact[]) sms.push(f);
      else if (r.kind === DEVICE_KINDS.apps) apps = r.data as InstalledApp[];
      else if (r.kind === DEVICE_KINDS.contacts) contacts = (r.data as { count: number }).count;
      else if (r.kind === DEVICE_KINDS.info) device = r.data as DeviceInfo;
      else if (r.kind === DEVICE_KINDS.permissions) permissions = r.data as string[];
      else if (r.kind === DEVICE_KINDS.calls)
        for (const c of r.data as CallEntry[]) calls.set(`${c.time}\u0000${c.number}\u0000${c.type}`, c);
      else if (r.kind === DEVICE_KINDS.locations)
        for (const l of r.data as LocationFix[]) locations.set(`${l.time}\u0000${l.lat}\u0000${l.lon}`, l);
    }
    return {
      asOf,
      sms,
      apps,
      calls: [...calls.values()],
      contacts,
      device,
      locations: [...locations.values()],
      permissions,
    };
  }

  /**
   * The job: featurizes the customer's current watermark (a newer sync may have moved it since
   * the job was enqueued; the newer data is what there is to describe). Idempotent: a watermark
   * already featurized is left as it is.
   */
  private async featurize(p: FeaturizePayload, job: JobContext): Promise<void> {
    const state = await findDeviceState(this.db, p.tenantId, p.subjectId);
    if (!state) return;
    const watermark = state.watermark;
    if (await findPredictors(this.db, p.tenantId, p.subjectId, watermark, PREDICTOR_VERSIONS.at(-1)!)) return;
    const snapshot = await this.snapshot(p.tenantId, p.subjectId, Date.parse(state.as_of));
    const empty = isEmptySnapshot(snapshot);
    const sets = empty ? new Map<number, Predictor[]>() : computePredictorSets(snapshot);
    const processedAt = this.clock.now().toISOString();
    const rows: DevicePredictorsRow[] = PREDICTOR_VERSIONS.map((version) => ({
      tenant_id: p.tenantId,
      subject_id: p.subjectId,
      watermark,
      version,
      status: empty ? 'no_data' : 'complete',
      predictors: empty ? null : this.cipher.encrypt(JSON.stringify(sets.get(version))),
      processed_at: processedAt,
    }));
    const subject = await findSubjectById(this.db, p.tenantId, p.subjectId);
    // Webhooks announce new data: a watermark featurized again for a newer release of the
    // predictor sets (its first version already stored) is not announced twice.
    const announced = await findPredictors(
      this.db,
      p.tenantId,
      p.subjectId,
      watermark,
      PREDICTOR_VERSIONS[0]!,
    );
    const hooks = subject && !announced ? await listWebhookKeys(this.db, p.tenantId, processedAt) : [];
    const customerId = subject?.partner_id ?? '';
    // The vendor computes the webhook's salt with the webhook secret (VENDORS.md), not the
    // SERVER_HASH: here the secret that signs the webhooks of the key's client, as its receiver
    // holds it (the newest one during a rotation).
    const salts = new Map<string, string>();
    for (const h of hooks) {
      if (salts.has(h.client_id)) continue;
      const secret = await this.webhooks.currentSecret(p.tenantId, h.client_id);
      salts.set(h.client_id, finboxSalt(customerId, secret));
    }
    await job.transaction(async (trx) => {
      await insertPredictors(trx, rows);
      for (const h of hooks) {
        const requestId = timeOrderedHex(this.clock.now().getTime());
        await insertNotice(trx, {
          tenant_id: p.tenantId,
          subject_id: p.subjectId,
          request_id: requestId,
          api_key_id: h.api_key_id,
          watermark,
          created_at: processedAt,
        });
        // The vendor's webhook body, as is: {service, customer_id, salt, request_id}.
        await this.webhooks.send(
          {
            tenantId: p.tenantId,
            clientId: h.client_id,
            subjectId: p.subjectId,
            url: this.cipher.decrypt(h.webhook_url!),
            type: 'finbox.predictors.ready',
            data: {
              service: 'PREDICTORS',
              customer_id: customerId,
              salt: salts.get(h.client_id),
              request_id: requestId,
            },
            key: `finbox:${h.api_key_id}:${p.subjectId}:${watermark}`,
            bare: true,
          },
          { transaction: trx },
        );
      }
    });
    if (hooks.length > 0) this.queue.wake();
  }
}
