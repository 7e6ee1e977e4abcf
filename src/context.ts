/**
 * Everything a running Credence needs, built once from the configuration: the database, the
 * services and the caches. `buildApp` wraps it in HTTP; the CLI uses it directly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { KeyAuthenticator } from './auth/key-authenticator.js';
import { PartnerAuthenticator } from './auth/partner-authenticator.js';
import type { Config } from './config.js';
import { committerFor } from './db/committer.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import type { History } from './db/history.js';
import { historyFor } from './db/history-factory.js';
import { migrateToLatest } from './db/migrate.js';
import { type Clock, systemClock } from './lib/clock.js';
import { ConsortiumHasher } from './security/consortium-hasher.js';
import { PiiCipher } from './security/pii-cipher.js';
import { resolveSecretKey } from './security/secret-key.js';
import { ApiKeyService } from './services/api-key-service.js';
import { ConsortiumService } from './services/consortium-service.js';
import { HistoryService } from './services/history-service.js';
import { IndicatorService } from './services/indicator-service.js';
import { ModelRegistry } from './services/model-registry.js';
import { OutcomeService } from './services/outcome-service.js';
import { PartnerCallService } from './services/partner-call-service.js';
import { PartnerService } from './services/partner-service.js';
import { ScoringService } from './services/scoring-service.js';
import { TenantService } from './services/tenant-service.js';

/** The package root: where `models/` and `docs/` are shipped. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STARTER_MODELS_DIR = path.join(PACKAGE_ROOT, 'models');

export interface ContextOptions {
  clock?: Clock;
  /** Where the starter models are read from; defaults to the shipped `models/`. */
  modelsDir?: string;
  /** How long a cached API-key or partner-credential lookup is trusted. */
  keyCacheTtlMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  cipher: PiiCipher;
  tenants: TenantService;
  apiKeys: ApiKeyService;
  keyAuth: KeyAuthenticator;
  models: ModelRegistry;
  historyWriter: History;
  history: HistoryService;
  scoring: ScoringService;
  outcomes: OutcomeService;
  partners: PartnerService;
  partnerAuth: PartnerAuthenticator;
  consortium: ConsortiumService;
  indicators: IndicatorService;
  partnerCalls: PartnerCallService;
  close(): Promise<void>;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  const secret = resolveSecretKey(config);
  if (secret.source === 'generated' && secret.file) {
    options.logger?.warn(
      { file: secret.file },
      'CREDENCE_SECRET_KEY is not set: generated a new secret key for personal data at rest. Back it up with the database; without it the encrypted data cannot be read.',
    );
  }
  const database = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) options.logger?.info({ migrations: applied }, 'database migrated');
    const db = database.db;
    const cipher = new PiiCipher(secret.keys);
    const tenants = new TenantService(db, clock);
    const apiKeys = new ApiKeyService(db, clock, tenants);
    const keyAuth = new KeyAuthenticator(db, clock, { ttlMs: options.keyCacheTtlMs ?? 1000 });
    apiKeys.onRevoke = (hash) => keyAuth.forget(hash);
    const models = new ModelRegistry(db, clock);
    await models.loadStarterModels(options.modelsDir ?? STARTER_MODELS_DIR);
    const historyWriter = historyFor(database, cipher, secret.keys);
    const history = new HistoryService(db, cipher);
    const scoring = new ScoringService(models, historyWriter, clock);
    const partners = new PartnerService(db, clock, tenants);
    const partnerAuth = new PartnerAuthenticator(db, { ttlMs: options.keyCacheTtlMs ?? 1000 });
    partners.onChange = (id) => partnerAuth.forget(id);
    const consortium = new ConsortiumService(db, clock, new ConsortiumHasher(secret.keys), tenants);
    const indicators = new IndicatorService(db, cipher, consortium, clock, options.logger);
    return {
      config,
      database,
      clock,
      cipher,
      tenants,
      apiKeys,
      keyAuth,
      models,
      historyWriter,
      history,
      scoring,
      outcomes: new OutcomeService(db, clock),
      partners,
      partnerAuth,
      consortium,
      indicators,
      partnerCalls: new PartnerCallService(db, committerFor(database), cipher, indicators, consortium, clock),
      async close() {
        await historyWriter.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
