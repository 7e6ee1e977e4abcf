/**
 * Everything a running Credence needs, built once from the configuration: the database, the
 * services and the caches. `buildApp` wraps it in HTTP; the CLI uses it directly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { KeyAuthenticator } from './auth/key-authenticator.js';
import { OAuthClientService } from './auth/oauth-clients.js';
import { TokenService } from './auth/oauth-tokens.js';
import { PartnerAuthenticator } from './auth/partner-authenticator.js';
import { SigningKeyStore } from './auth/signing-keys.js';
import type { Config } from './config.js';
import { committerFor } from './db/committer.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import type { History } from './db/history.js';
import { historyFor } from './db/history-factory.js';
import { migrateToLatest } from './db/migrate.js';
import { EmbeddedQueue, type EmbeddedQueueOptions } from './jobs/embedded-queue.js';
import type { JobQueue } from './jobs/queue.js';
import { type Clock, systemClock } from './lib/clock.js';
import { ConsortiumHasher } from './security/consortium-hasher.js';
import { PiiCipher } from './security/pii-cipher.js';
import { resolveSecretKey } from './security/secret-key.js';
import { ApiKeyService } from './services/api-key-service.js';
import { ConsortiumService } from './services/consortium-service.js';
import { DataRecordService } from './services/data-records.js';
import { ErasureService } from './services/erasure-service.js';
import { FriendlyScoreScoring } from './services/friendlyscore/scoring.js';
import { FriendlyScoreUsers } from './services/friendlyscore/users.js';
import { HistoryService } from './services/history-service.js';
import { IndicatorService } from './services/indicator-service.js';
import { ModelPerformanceService } from './services/model-performance.js';
import { ModelRegistry } from './services/model-registry.js';
import { OutcomeService } from './services/outcome-service.js';
import { PartnerCallService } from './services/partner-call-service.js';
import { PartnerService } from './services/partner-service.js';
import { ScoringService } from './services/scoring-service.js';
import { TenantService } from './services/tenant-service.js';
import { type WebhookOptions, WebhookService } from './webhooks/webhook-service.js';

/** The package root: where `models/` and `docs/` are shipped. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STARTER_MODELS_DIR = path.join(PACKAGE_ROOT, 'models');

export interface ContextOptions {
  clock?: Clock;
  /** Where the starter models are read from; defaults to the shipped `models/`. */
  modelsDir?: string;
  /** How long a cached API-key or partner-credential lookup is trusted. */
  keyCacheTtlMs?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Settings of the embedded job queue (the visibility timeout comes from the configuration). */
  queue?: Omit<EmbeddedQueueOptions, 'logger'>;
  /** Webhook timing (tests shorten the retry delays). */
  webhooks?: Partial<Omit<WebhookOptions, 'allowPrivate'>>;
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
  performance: ModelPerformanceService;
  /** Background jobs; the server starts its worker, the CLI only enqueues. */
  queue: JobQueue;
  signingKeys: SigningKeyStore;
  oauthClients: OAuthClientService;
  tokens: TokenService;
  webhooks: WebhookService;
  dataRecords: DataRecordService;
  erasure: ErasureService;
  friendlyscore: { users: FriendlyScoreUsers; scoring: FriendlyScoreScoring };
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
    const queue = new EmbeddedQueue(database, clock, {
      visibilityTimeoutMs: config.jobVisibilityTimeoutMs,
      ...options.queue,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const signingKeys = new SigningKeyStore(db, cipher, clock);
    const oauthClients = new OAuthClientService(db, clock, tenants);
    const webhooks = new WebhookService(db, cipher, clock, queue, {
      ...options.webhooks,
      allowPrivate: config.webhookAllowPrivate,
    });
    const dataRecords = new DataRecordService(db, cipher, clock);
    const outcomes = new OutcomeService(db, clock);
    const fsUsers = new FriendlyScoreUsers(db, clock);
    const fsScoring = new FriendlyScoreScoring(
      db,
      clock,
      cipher,
      fsUsers,
      dataRecords,
      scoring,
      models,
      queue,
      webhooks,
    );
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
      outcomes,
      performance: new ModelPerformanceService(db, models, clock),
      queue,
      signingKeys,
      oauthClients,
      tokens: new TokenService(signingKeys, oauthClients, clock),
      webhooks,
      dataRecords,
      erasure: new ErasureService(db, clock, historyWriter, queue),
      friendlyscore: { users: fsUsers, scoring: fsScoring },
      partners,
      partnerAuth,
      consortium,
      indicators,
      partnerCalls: new PartnerCallService(db, committerFor(database), cipher, indicators, consortium, clock),
      async close() {
        // Running jobs finish (or are released for the next start) before the database closes.
        await queue.stop({ graceMs: 10_000 });
        await historyWriter.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
