/**
 * Everything a running Credence needs, built once from the configuration: the database, the
 * services and the caches. `buildApp` wraps it in HTTP; the CLI uses it directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { createRateLimitBackend, type RateLimitBackend } from './api/rate-limit-store.js';
import { type AccessTokenVerifier, ExternalTokens, ownTokens } from './auth/access-tokens.js';
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
import type { EmbeddedQueueOptions } from './jobs/embedded-queue.js';
import type { JobQueue } from './jobs/queue.js';
import { createQueue } from './jobs/queue-factory.js';
import { type Clock, systemClock } from './lib/clock.js';
import { ConsortiumHasher } from './security/consortium-hasher.js';
import { ownerOnly, sqliteFiles } from './security/file-modes.js';
import { PiiCipher } from './security/pii-cipher.js';
import { resolveSecretKey } from './security/secret-key.js';
import { AdminKeyService } from './services/admin-key-service.js';
import { ApiKeyService } from './services/api-key-service.js';
import { CompositeScoreService } from './services/composite-score.js';
import { FraudSignals } from './services/connectors/fraud.js';
import { DataGathering } from './services/connectors/gathering.js';
import { IpIntelligence } from './services/connectors/ip-intelligence.js';
import { SocialConnectors } from './services/connectors/social.js';
import { ConsortiumService } from './services/consortium-service.js';
import { CvDocuments } from './services/cv/documents.js';
import { GmailConnector } from './services/cv/gmail.js';
import { DataRecordService } from './services/data-records.js';
import { DeviceSyncService } from './services/device/device-sync.js';
import { DeviceFeaturization } from './services/device/featurization.js';
import { FinboxKeyService } from './services/device/finbox-keys.js';
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
import { KeyRotation } from './services/secret/key-rotation.js';
import { checkSecretKey, SecretKeyMismatch } from './services/secret/secret-check.js';
import { CibaService } from './services/telco/ciba.js';
import { ConsentService } from './services/telco/consents.js';
import { CustomerInsightsService } from './services/telco/customer-insights.js';
import { SubscriberErasure } from './services/telco/subscriber-erasure.js';
import { SubscriberService } from './services/telco/subscribers.js';
import { TenantService } from './services/tenant-service.js';
import { type WebhookOptions, WebhookService } from './webhooks/webhook-service.js';

/** The package root: where `models/` and `docs/` are shipped. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STARTER_MODELS_DIR = path.join(PACKAGE_ROOT, 'models');

export interface ContextOptions {
  clock?: Clock;
  /** Where the starter models are read from; defaults to the shipped `models/`. */
  modelsDir?: string;
  /**
   * How long a cached API-key or partner-credential lookup is trusted; also how long a
   * DeviceConnect customer's data watermark is (a sync in another process is seen within it).
   */
  keyCacheTtlMs?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Settings of the embedded job queue (the visibility timeout comes from the configuration). */
  queue?: Omit<EmbeddedQueueOptions, 'logger'>;
  /** Webhook timing (tests shorten the retry delays). */
  webhooks?: Partial<Omit<WebhookOptions, 'allowPrivate'>>;
  /** Checkpoint an SQLite file from a thread of its own (src/db/sqlite-checkpointer.ts). */
  checkpointThread?: boolean;
  /**
   * Start the SQLite history's writer thread at its first write rather than at once: for a
   * command that may never write, which would otherwise wait for the thread to load and to exit.
   */
  writerThreadOnDemand?: boolean;
}

export interface AppContext {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  cipher: PiiCipher;
  tenants: TenantService;
  apiKeys: ApiKeyService;
  /** The operator's keys, for the admin API and the console. */
  adminKeys: AdminKeyService;
  keyAuth: KeyAuthenticator;
  models: ModelRegistry;
  historyWriter: History;
  history: HistoryService;
  /** A subject's composite score over its latest run of each service. */
  composite: CompositeScoreService;
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
  /** Country, region, city, ASN and organisation of IP addresses (docs/connectors.md). */
  ipIntelligence: IpIntelligence;
  /** The data connectors: social networks, Gmail CVs, fraud signals (docs/connectors.md). */
  connectors: {
    social: SocialConnectors;
    fraud: FraudSignals;
    gathering: DataGathering;
    documents: CvDocuments;
  };
  erasure: ErasureService;
  friendlyscore: { users: FriendlyScoreUsers; scoring: FriendlyScoreScoring };
  partners: PartnerService;
  partnerAuth: PartnerAuthenticator;
  consortium: ConsortiumService;
  indicators: IndicatorService;
  partnerCalls: PartnerCallService;
  /** Device data: sync, featurization into predictor sets, and DeviceConnect server keys. */
  device: { sync: DeviceSyncService; features: DeviceFeaturization; finboxKeys: FinboxKeyService };
  /** Where rate-limit counters live (memory, or Redis shared by the replicas). */
  rateLimits: RateLimitBackend;
  /** Credence's OpenID Connect provider: tokens whose issuer is the public URL. */
  oidcTokens: TokenService;
  telco: {
    subscribers: SubscriberService;
    consents: ConsentService;
    ciba: CibaService;
    insights: CustomerInsightsService;
    /** Deletes a subscriber and everything kept about them. */
    erasure: SubscriberErasure;
    /** Checks the bearer tokens of the CAMARA API: ours, or the operator's provider's. */
    accessTokens: AccessTokenVerifier;
  };
  /** Re-encryption of personal data under the newest secret key (`credence secret rotate`). */
  keyRotation: KeyRotation;
  close(): Promise<void>;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? systemClock;
  const secret = resolveSecretKey(config);
  const database = openDatabase(config.database, {
    checkpointThread: options.checkpointThread ?? false,
    onCheckpointError: (message) =>
      options.logger?.warn(
        { error: message },
        'the checkpoint thread failed: commits checkpoint the WAL themselves',
      ),
  });
  // An older version left its database readable by every user of the machine (mode 644).
  const modes = ownerOnly([
    ...(config.database.sqlitePath && config.database.sqlitePath !== ':memory:'
      ? sqliteFiles(config.database.sqlitePath)
      : []),
    ...(secret.file ? [secret.file] : []),
  ]);
  if (modes.tightened.length > 0)
    options.logger?.warn(
      { files: modes.tightened },
      'these files were open to other users of this machine: they are now readable by their owner only',
    );
  if (modes.refused.length > 0)
    options.logger?.warn(
      { files: modes.refused },
      'these files are open to other users of this machine and this process may not change that: make them readable by their owner only (chmod 600)',
    );
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) options.logger?.info({ migrations: applied }, 'database migrated');
    const db = database.db;
    const cipher = new PiiCipher(secret.keys);
    await checkSecretKey(db, cipher, clock, secret).catch((err) => {
      // A key generated for a database that already holds data sealed nothing: left in the data
      // folder, it would pass for the database's key, and be backed up as such.
      if (err instanceof SecretKeyMismatch && secret.source === 'generated' && secret.file)
        fs.rmSync(secret.file, { force: true });
      throw err;
    });
    if (secret.source === 'generated' && secret.file) {
      options.logger?.warn(
        { file: secret.file },
        'CREDENCE_SECRET_KEY is not set: generated a new secret key for personal data at rest. Back it up with the database; without it the encrypted data cannot be read.',
      );
    }
    const tenants = new TenantService(db, clock);
    const apiKeys = new ApiKeyService(db, clock, tenants);
    const keyAuth = new KeyAuthenticator(db, clock, { ttlMs: options.keyCacheTtlMs ?? 1000 });
    apiKeys.onRevoke = (hash) => keyAuth.forget(hash);
    const models = new ModelRegistry(db, clock);
    await models.loadStarterModels(options.modelsDir ?? STARTER_MODELS_DIR);
    const historyWriter = historyFor(database, cipher, secret.keys, {
      lazy: options.writerThreadOnDemand ?? false,
    });
    const history = new HistoryService(db, cipher);
    const scoring = new ScoringService(models, historyWriter, clock);
    const queue = await createQueue(config, database, clock, {
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
    const ipIntelligence = new IpIntelligence(config.connectors);
    // A configured database that cannot be read stops the start, rather than the first lookup.
    if (config.connectors.geoipDb || config.connectors.geoipAsnDb) await ipIntelligence.open();
    const outcomes = new OutcomeService(db, clock, cipher);
    const social = new SocialConnectors(config.connectors, dataRecords);
    const fraud = new FraudSignals(db, cipher, clock, dataRecords, ipIntelligence);
    const documents = new CvDocuments(db, cipher, clock, dataRecords, queue, config.connectors);
    const gmail = new GmailConnector(config.connectors, dataRecords, documents);
    const gathering = new DataGathering(db, queue, dataRecords, social, fraud, gmail);
    const fsUsers = new FriendlyScoreUsers(db, clock, cipher);
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
    const consortiumHasher = new ConsortiumHasher(secret.keys);
    const consortium = new ConsortiumService(db, clock, consortiumHasher, tenants);
    const rateLimits = createRateLimitBackend(config.redisUrl, config.rateLimitFail, options.logger);
    const indicators = new IndicatorService(db, cipher, consortium, clock, options.logger);
    const device = {
      sync: new DeviceSyncService(db, cipher, clock, dataRecords, queue, config.smsRetentionMs),
      features: new DeviceFeaturization(db, cipher, clock, dataRecords, queue, webhooks, {
        customerTtlMs: options.keyCacheTtlMs ?? 1000,
      }),
      finboxKeys: new FinboxKeyService(db, cipher, clock, apiKeys, webhooks),
    };
    const publicUrl = () => config.publicUrl;
    const oidcTokens = new TokenService(signingKeys, oauthClients, clock, publicUrl);
    const subscribers = new SubscriberService(db, cipher, clock);
    const consents = new ConsentService(db, clock, subscribers);
    const camara = () => config.camara;
    const erasure = new ErasureService(db, clock, historyWriter, queue, cipher, consortiumHasher);
    const telco = {
      subscribers,
      consents,
      ciba: new CibaService(db, clock, subscribers, consents, () => camara().consent),
      insights: new CustomerInsightsService(subscribers, consents, scoring, clock, camara),
      erasure: new SubscriberErasure(db, clock, subscribers, erasure),
      accessTokens: config.externalOidc
        ? new ExternalTokens(config.externalOidc, tenants, clock)
        : ownTokens(oidcTokens, publicUrl),
    };
    device.sync.onSynced = (tenantId, customerId) => device.features.forget(tenantId, customerId);
    return {
      config,
      database,
      clock,
      cipher,
      tenants,
      apiKeys,
      adminKeys: new AdminKeyService(db, clock, options.keyCacheTtlMs ?? 1000),
      keyAuth,
      models,
      historyWriter,
      history,
      composite: new CompositeScoreService(db, models, config.compositeWeights),
      scoring,
      outcomes,
      performance: new ModelPerformanceService(db, models, clock),
      queue,
      signingKeys,
      oauthClients,
      tokens: new TokenService(signingKeys, oauthClients, clock),
      webhooks,
      dataRecords,
      ipIntelligence,
      connectors: { social, fraud, gathering, documents },
      erasure,
      friendlyscore: { users: fsUsers, scoring: fsScoring },
      partners,
      partnerAuth,
      consortium,
      indicators,
      rateLimits,
      partnerCalls: new PartnerCallService(db, committerFor(database), cipher, indicators, consortium, clock),
      device,
      oidcTokens,
      telco,
      keyRotation: new KeyRotation(db, cipher, consortiumHasher),
      async close() {
        // Running jobs finish (or are released for the next start) before the database closes.
        await queue.stop({ graceMs: config.shutdownGraceMs });
        await historyWriter.close();
        await rateLimits.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
