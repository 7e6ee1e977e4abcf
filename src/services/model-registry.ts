/**
 * The model registry: versioned scorecards per tenant and service, one active (champion) per
 * tenant and service, falling back to the starter model every tenant shares. Compiled
 * scorecards are kept in memory; which model is active is re-read at most once a second.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { readTextFile } from '../data/text-file.js';
import {
  clearActiveModel,
  DEFAULT_SCOPE,
  findActiveModelId,
  findModelByChecksum,
  findModelById,
  findVisibleModel,
  insertModel,
  listActivatedModels,
  listActivations,
  listVisibleModels,
  nextModelVersion,
  setActiveModel,
} from '../db/repositories/model.repository.js';
import { serializeOn } from '../db/row-lock.js';
import type { Database, ModelRow } from '../db/schema.js';
import { CredenceError, invalidInput, notFound } from '../domain/errors.js';
import { Scorecard } from '../domain/scoring/scorecard.js';
import { canonicalJson, sha256Hex } from '../lib/canonical-json.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from './audit.js';
import { compileStoredModel, StoredModelInvalid } from './stored-model.js';

export type ModelRole = 'champion' | 'challenger';
export type ModelSource = 'starter' | 'upload' | 'import' | 'train';

export interface ModelInfo {
  id: string;
  tenantId: string | null;
  service: string;
  version: number;
  name: string;
  checksum: string;
  source: string;
  createdAt: string;
  /** The roles this model holds for the asking tenant (directly or through the starter default). */
  roles: ModelRole[];
}

export interface ActiveModel {
  id: string;
  version: number;
  name: string;
  scorecard: Scorecard;
}

/** What scores a tenant's service: the champion answers; the challenger, if any, runs in shadow. */
export interface ServingModels {
  champion: ActiveModel | null;
  challenger: ActiveModel | null;
}

/** An activation whose model fails today's validation; `error.tenantId` is null for the default. */
export interface RefusedActivation {
  role: ModelRole;
  error: StoredModelInvalid;
}

const toInfo = (r: ModelRow, roles: ModelRole[] = []): ModelInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  service: r.service,
  version: r.version,
  name: r.name,
  checksum: r.checksum,
  source: r.source,
  createdAt: r.created_at,
  roles,
});

export class ModelRegistry {
  private readonly compiled = new LRUCache<string, Scorecard>({ max: 1000 });
  private readonly active: LRUCache<string, { model: ActiveModel | null }>;
  private readonly serving: LRUCache<string, ServingModels>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    options: { activeTtlMs?: number } = {},
  ) {
    this.active = new LRUCache({ max: 10_000, ttl: options.activeTtlMs ?? 1000 });
    this.serving = new LRUCache({ max: 10_000, ttl: options.activeTtlMs ?? 1000 });
  }

  /**
   * The champion and challenger of a tenant's service, in one cache entry so that scoring pays
   * for one lookup. Only a tenant's own model can be its challenger: the starter default is a
   * champion only.
   */
  async servingModels(tenantId: string, service: string): Promise<ServingModels> {
    const hit = this.cachedServingModels(tenantId, service);
    if (hit) return hit;
    const cacheKey = servingKey(tenantId, service);
    const models = {
      champion: await this.activeModel(tenantId, service, 'champion'),
      challenger: await this.activeModel(tenantId, service, 'challenger').catch((err: unknown) => {
        // A challenger only ever scores in shadow: one that today's validation refuses (stored
        // by an older release, and named by the warning at start) steps aside rather than fail
        // the champion's answers.
        if (err instanceof StoredModelInvalid) return null;
        throw err;
      }),
    };
    this.serving.set(cacheKey, models);
    return models;
  }

  /** servingModels() from memory alone: undefined when the database must be asked. */
  cachedServingModels(tenantId: string, service: string): ServingModels | undefined {
    return this.serving.get(servingKey(tenantId, service));
  }

  /** The model that scores `service` for a tenant: its own active model, else the default. */
  async activeModel(
    tenantId: string,
    service: string,
    role: ModelRole = 'champion',
  ): Promise<ActiveModel | null> {
    const cacheKey = `${tenantId}\u0000${service}\u0000${role}`;
    const hit = this.active.get(cacheKey);
    if (hit) return hit.model;
    const id =
      (await findActiveModelId(this.db, tenantId, service, role)) ??
      (role === 'champion' ? await findActiveModelId(this.db, DEFAULT_SCOPE, service, role) : undefined);
    const model = id ? await this.load(tenantId, id) : null;
    this.active.set(cacheKey, { model });
    return model;
  }

  async get(tenantId: string, id: string): Promise<ModelInfo & { document: unknown }> {
    const row = await findVisibleModel(this.db, tenantId, id);
    if (!row) throw notFound('model', id);
    const roles = await this.rolesFor(tenantId);
    return { ...toInfo(row, roles.get(row.id) ?? []), document: JSON.parse(row.document) };
  }

  async list(tenantId: string, service?: string): Promise<ModelInfo[]> {
    const rows = await listVisibleModels(this.db, tenantId, service);
    const roles = await this.rolesFor(tenantId);
    return rows.map((r) => toInfo(r, roles.get(r.id) ?? []));
  }

  /**
   * Stores a model document as the next version for its service. The same document uploaded
   * again returns the version already stored (`created: false`). With `activate`, the version is
   * given that role (champion or challenger) in the same transaction: stored and in its role, or
   * neither.
   */
  async add(
    tenantId: string | null,
    document: unknown,
    o: {
      source: ModelSource;
      service?: string | undefined;
      actor?: string;
      activate?: ModelRole | undefined;
    },
  ): Promise<{ model: ModelInfo; created: boolean }> {
    if (o.activate && tenantId === null) throw new Error('only a model of a tenant can be activated');
    const scorecard = Scorecard.compile(document);
    const doc = scorecard.model;
    if (o.service !== undefined && o.service !== doc.service) {
      throw invalidInput('service', `the model is for service "${doc.service}", not "${o.service}"`);
    }
    const text = canonicalJson(doc);
    const checksum = sha256Hex(text);
    // One upload of the tenant's service at a time (in every process): the same document sent
    // twice at once is stored once, and each new one gets the next version.
    const stored = await this.db.transaction().execute(async (trx) => {
      await serializeOn(trx, modelsOf(tenantId, doc.service));
      const existing = await findModelByChecksum(trx, tenantId, doc.service, checksum);
      const row: ModelRow = existing ?? {
        id: newId('mdl'),
        tenant_id: tenantId,
        service: doc.service,
        version: await nextModelVersion(trx, tenantId, doc.service),
        name: doc.name,
        checksum,
        document: text,
        source: o.source,
        created_at: this.clock.now().toISOString(),
      };
      if (!existing) {
        await insertModel(trx, row);
        if (tenantId !== null)
          await audit(trx, this.clock, {
            tenantId,
            actor: o.actor ?? 'api',
            action: 'model.add',
            targetType: 'model',
            targetId: row.id,
            details: { service: row.service, version: row.version, source: o.source },
          });
      }
      // A stored version is this same document, so it passes today's rules as the upload just did.
      if (o.activate) await this.activateIn(trx, tenantId!, row, o.activate, o.actor ?? 'api');
      return { row, created: !existing };
    });
    if (o.activate) this.forgetRoles();
    this.compiled.set(stored.row.id, scorecard);
    // The version as it stands now: an existing one's roles may have changed since it was uploaded.
    const roles = tenantId === null ? undefined : (await this.rolesFor(tenantId)).get(stored.row.id);
    return { model: toInfo(stored.row, roles ?? []), created: stored.created };
  }

  /** Makes a model the tenant's champion (or challenger) for its service. */
  async activate(
    tenantId: string,
    id: string,
    role: ModelRole = 'champion',
    actor = 'api',
  ): Promise<ModelInfo> {
    const row = await findVisibleModel(this.db, tenantId, id);
    if (!row) throw notFound('model', id);
    // A challenger is a tenant's own candidate; the starter model can only be the champion.
    if (role === 'challenger' && row.tenant_id === null)
      throw invalidInput('role', 'a starter model cannot be the challenger: only a model of your own can');
    // A version stored by an older release may fail today's rules; it could not score, so it is
    // not put in charge of any request.
    try {
      this.compiledOf(row, tenantId);
    } catch (err) {
      if (!(err instanceof StoredModelInvalid)) throw err;
      throw new CredenceError(
        'CREDENCE_INVALID_MODEL',
        `${row.service} version ${row.version} cannot be activated: it fails today's validation (${err.validation}); upload a fixed version`,
        { field: 'model' },
      );
    }
    await this.db.transaction().execute(async (trx) => {
      // One change of the service's roles at a time: a model made champion and challenger at the
      // same moment would otherwise be both.
      await serializeOn(trx, modelsOf(tenantId, row.service));
      await this.activateIn(trx, tenantId, row, role, actor);
    });
    this.forgetRoles();
    const roles = await this.rolesFor(tenantId);
    return toInfo(row, roles.get(row.id) ?? []);
  }

  /** The cached champions and challengers, after a change of role: read again at the next request. */
  private forgetRoles(): void {
    this.active.clear();
    this.serving.clear();
  }

  /** The role change itself, inside the caller's transaction (which holds the service's turn). */
  private async activateIn(
    trx: Kysely<Database>,
    tenantId: string,
    row: ModelRow,
    role: ModelRole,
    actor: string,
  ): Promise<void> {
    // A model cannot challenge itself; promoting the challenger ends its challenge.
    if (role === 'challenger' && (await findActiveModelId(trx, tenantId, row.service, 'champion')) === row.id)
      throw invalidInput('role', 'this model is the champion: the challenger must be another model');
    if (role === 'champion') await endChallenge(trx, tenantId, row);
    await setActiveModel(trx, {
      scope: tenantId,
      service: row.service,
      role,
      model_id: row.id,
      activated_at: this.clock.now().toISOString(),
    });
    await audit(trx, this.clock, {
      tenantId,
      actor,
      action: 'model.activate',
      targetType: 'model',
      targetId: row.id,
      details: { service: row.service, version: row.version, role },
    });
  }

  /**
   * Ends the model's challenge: it stops scoring in shadow, and the tenant has no challenger for
   * that service until another is named. A model that is no challenger is returned as it is. The
   * champion is never left without a successor: it is replaced by activating another model (or
   * the starter), so deactivating it is a conflict.
   */
  async deactivate(tenantId: string, id: string, actor = 'api'): Promise<ModelInfo> {
    const row = await findVisibleModel(this.db, tenantId, id);
    if (!row) throw notFound('model', id);
    const before = (await this.rolesFor(tenantId)).get(row.id) ?? [];
    if (before.includes('champion'))
      throw new CredenceError(
        'CREDENCE_CONFLICT',
        `model ${row.id} is the champion for ${row.service}: make another model (or the starter model) the champion instead`,
      );
    if (before.includes('challenger')) {
      await endChallenge(this.db, tenantId, row);
      await audit(this.db, this.clock, {
        tenantId,
        actor,
        action: 'model.deactivate',
        targetType: 'model',
        targetId: row.id,
        details: { service: row.service, version: row.version, role: 'challenger' },
      });
      this.forgetRoles();
    }
    // Not the champion (refused above) and no longer the challenger: no role is left.
    return toInfo(row, []);
  }

  /**
   * Loads the starter models shipped in `dir` (one JSON file per service) and makes each the
   * default for its service. Safe to run from several processes at once.
   */
  async loadStarterModels(dir: string): Promise<ModelInfo[]> {
    const loaded: ModelInfo[] = [];
    const files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : [];
    for (const file of files) {
      const full = path.join(dir, file);
      // Read as every other file is: a damaged file is refused naming it, not decoded to U+FFFD.
      let text: string;
      try {
        text = readTextFile(full);
      } catch (err) {
        throw new Error(`starter model ${(err as Error).message}`);
      }
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (err) {
        throw new Error(`starter model ${full} is not valid JSON: ${(err as Error).message}`);
      }
      let result: { model: ModelInfo; created: boolean };
      try {
        result = await this.add(null, document, { source: 'starter' });
      } catch (err) {
        if (err instanceof CredenceError) throw new Error(`starter model ${full}: ${err.message}`);
        throw err;
      }
      const current = await findActiveModelId(this.db, DEFAULT_SCOPE, result.model.service, 'champion');
      if (current !== result.model.id) {
        await setActiveModel(this.db, {
          scope: DEFAULT_SCOPE,
          service: result.model.service,
          role: 'champion',
          model_id: result.model.id,
          activated_at: this.clock.now().toISOString(),
        });
      }
      loaded.push(result.model);
    }
    this.forgetRoles();
    return loaded;
  }

  /** The compiled scorecard of a model by id (to explain a stored run); null if it does not exist. */
  async scorecardById(id: string): Promise<Scorecard | null> {
    const hit = this.compiled.get(id);
    if (hit) return hit;
    const row = await findModelById(this.db, id);
    return row ? this.compiledOf(row, row.tenant_id) : null;
  }

  /**
   * The active models that today's validation refuses, one entry per activation, for the start to
   * name before a request meets them. Each active model is compiled once and kept, so the check
   * also warms the cache the first requests use.
   */
  async refusedActiveModels(): Promise<RefusedActivation[]> {
    const refused: RefusedActivation[] = [];
    for (const row of await listActivatedModels(this.db)) {
      try {
        this.compiledOf(row, row.scope === DEFAULT_SCOPE ? null : row.scope);
      } catch (err) {
        if (!(err instanceof StoredModelInvalid)) throw err;
        refused.push({ role: row.role as ModelRole, error: err });
      }
    }
    return refused;
  }

  private async load(tenantId: string, id: string): Promise<ActiveModel | null> {
    const row = await findVisibleModel(this.db, tenantId, id);
    if (!row) return null;
    return { id: row.id, version: row.version, name: row.name, scorecard: this.compiledOf(row, tenantId) };
  }

  /**
   * A stored model's scorecard, compiled once (a model version never changes) and kept; throws
   * StoredModelInvalid when today's validation refuses it.
   */
  private compiledOf(row: ModelRow, tenantId: string | null): Scorecard {
    const hit = this.compiled.get(row.id);
    if (hit) return hit;
    const scorecard = compileStoredModel(row, tenantId);
    this.compiled.set(row.id, scorecard);
    return scorecard;
  }

  private async rolesFor(tenantId: string): Promise<Map<string, ModelRole[]>> {
    const rows = await listActivations(this.db, [tenantId, DEFAULT_SCOPE]);
    const roles = new Map<string, ModelRole[]>();
    const overridden = new Set(rows.filter((r) => r.scope === tenantId).map((r) => `${r.service}|${r.role}`));
    for (const r of rows) {
      if (r.scope === DEFAULT_SCOPE && overridden.has(`${r.service}|${r.role}`)) continue;
      roles.set(r.model_id, [...(roles.get(r.model_id) ?? []), r.role as ModelRole]);
    }
    return roles;
  }
}

/** Ends the tenant's challenge of `model` for its service, if it is the challenger. */
const endChallenge = (db: Kysely<Database>, tenantId: string, model: ModelRow) =>
  clearActiveModel(db, { scope: tenantId, service: model.service, role: 'challenger', modelId: model.id });

/** What serializeOn() names for changes to a tenant's (or the starter) models of a service. */
const modelsOf = (tenantId: string | null, service: string) => `models/${tenantId ?? '*'}/${service}`;

/** The key of a tenant's serving models for a service in the registry's cache. */
const servingKey = (tenantId: string, service: string) => `${tenantId}\u0000${service}`;
