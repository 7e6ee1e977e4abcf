/**
 * Configuration is read once, from environment variables, into one typed object.
 * Nothing else in the code base reads `process.env`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseConnectionString } from 'pg-connection-string';
import { parseCidr } from './auth/ip-allowlist.js';
import { NETWORKS } from './domain/footprint/networks.js';
import { parseWeights } from './domain/scoring/composite.js';
import {
  type CamaraConfig,
  DEFAULT_CAMARA_CONFIG,
  parseCamaraConfig,
} from './domain/telco/operator-config.js';
import { withoutBom } from './lib/text.js';
import { SCORED_SERVICES } from './services/score-outcome.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type DatabaseEngine = 'sqlite' | 'postgres';

export interface DatabaseConfig {
  engine: DatabaseEngine;
  /** The URL as given, e.g. `sqlite:./data/credence.db` or `postgres://user@host/db`. */
  url: string;
  /** SQLite only: the database file path, or `:memory:`. */
  sqlitePath?: string;
}

export interface Config {
  host: string;
  port: number;
  /** Where `credence worker` serves /metrics, /healthz and /readyz; none when unset. */
  workerPort?: number;
  database: DatabaseConfig;
  logLevel: LogLevel;
  /** The raw `CREDENCE_SECRET_KEY` (base64 or hex of 32 bytes), if set. */
  secretKey?: string;
  /** Where an embedded install keeps its state (the SQLite file's folder, or `./data`). */
  dataDir: string;
  /** Deliver webhooks to loopback, private and link-local addresses too (tests, closed networks). */
  webhookAllowPrivate: boolean;
  /** How long a claimed job stays locked without a heartbeat before another worker takes it. */
  jobVisibilityTimeoutMs: number;
  /** At shutdown, how long running jobs may finish before they are released to another worker. */
  shutdownGraceMs: number;
  /** How long a synced SMS keeps its raw text after it was parsed (the parsed facts stay). */
  smsRetentionMs: number;
  /** DeviceConnect predictors requests allowed per second for one server key. */
  finboxRateLimit: number;
  /** The job queue: pg-boss on PostgreSQL unless set to `embedded`; always embedded on SQLite. */
  queueBackend: QueueBackend;
  /** Redis for rate-limit counters shared by every replica; in memory when unset. */
  redisUrl?: string;
  /** Whether requests pass (`open`) or are refused (`closed`) while Redis is unreachable. */
  rateLimitFail: 'open' | 'closed';
  /**
   * Where clients reach this server: the issuer of its OpenID Connect provider. Read it when it is
   * needed, not once: on a free port it is only known once the server listens (publicUrlAtListen).
   */
  publicUrl: string;
  /**
   * CREDENCE_PUBLIC_URL is unset and CREDENCE_PORT is 0: publicUrl is `http://<host>:0` until
   * startServer sets it to the port the server listens on.
   */
  publicUrlAtListen?: true;
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed (addresses, CIDR blocks, or `loopback`,
   * `linklocal`, `uniquelocal`): a caller's address is then the one they forwarded. Empty: none.
   */
  trustProxy: string[];
  /** The operator's CAMARA Customer Insights configuration (CREDENCE_CAMARA_CONFIG, else defaults). */
  camara: CamaraConfig;
  /** An operator's own OpenID Connect provider, whose tokens the CAMARA API accepts instead. */
  externalOidc?: ExternalOidcConfig;
  /** Data connectors: where they call, how long they wait, what they accept (docs/connectors.md). */
  connectors: ConnectorConfig;
  /** Weight of each service in the composite score; a service not listed weighs 1. */
  compositeWeights: Readonly<Record<string, number>>;
}

/** The services data connectors call, each with a base URL that tests and proxies can replace. */
export const CONNECTOR_SERVICES = [...NETWORKS, 'gmail'] as const;
export type ConnectorService = (typeof CONNECTOR_SERVICES)[number];

export const DEFAULT_CONNECTOR_URLS: Readonly<Record<ConnectorService, string>> = {
  facebook: 'https://graph.facebook.com',
  linkedin: 'https://api.linkedin.com',
  twitter: 'https://api.twitter.com',
  google: 'https://www.googleapis.com',
  paypal: 'https://api-m.paypal.com',
  instagram: 'https://graph.instagram.com',
  gmail: 'https://gmail.googleapis.com',
};

export interface ConnectorConfig {
  urls: Record<ConnectorService, string>;
  /** How long one HTTP call to a network may take. */
  timeoutMs: number;
  /** Attempts per call when a network answers 429 or 5xx (1 = no retry). */
  attempts: number;
  /** A MaxMind-format database (GeoIP2/GeoLite2 City or Country, or DB-IP) to use instead of the shipped one. */
  geoipDb?: string;
  /** A MaxMind-format ASN database (GeoLite2-ASN, GeoIP2-ISP) to use instead of the shipped ASN table. */
  geoipAsnDb?: string;
  /** The largest document accepted, uploaded or downloaded. */
  documentMaxBytes: number;
  /** How long reading one document may take. */
  documentTimeoutMs: number;
}

export interface ExternalOidcConfig {
  issuer: string;
  jwksUrl: string;
  /** The `aud` tokens must carry; unchecked when not set. */
  audience?: string;
  /** The claim that names the subscriber (a phone number) in a 3-legged token. */
  subscriberClaim: string;
  /** The tenant whose subscribers the tokens speak of; the only tenant when not set. */
  tenant?: string;
}

export type QueueBackend = 'embedded' | 'pgboss';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/credence.db';

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // Read now as the driver will read it, so that a typo is a bad setting, not a failed start.
    try {
      parseConnectionString(url);
    } catch {
      // Not the URL itself: it may hold the password.
      throw new Error('is not a URL the PostgreSQL driver can read (postgres://user@host:5432/database)');
    }
    return { engine: 'postgres', url };
  }
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    // Accept sqlite:///abs/path and sqlite://./rel as well as sqlite:./rel.
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '')
      throw new Error('the sqlite: URL names no file (use sqlite:./data/credence.db or sqlite::memory:)');
    return { engine: 'sqlite', url, sqlitePath: file };
  }
  throw new Error(`unsupported scheme in "${url}" (expected sqlite:<file> or postgres://...)`);
}

/** Reads and validates the configuration; throws a ConfigError that lists every bad value. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];

  const host = nonEmpty(env.CREDENCE_HOST) ?? '127.0.0.1';

  const portOf = (name: string): number | undefined => {
    const raw = nonEmpty(env[name]);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (/^\d+$/.test(raw) && n <= 65535) return n;
    problems.push(`${name} must be an integer from 0 to 65535, got "${raw}"`);
    return undefined;
  };
  const port = portOf('CREDENCE_PORT') ?? 8080;
  const workerPort = portOf('CREDENCE_WORKER_PORT');

  let logLevel: LogLevel = 'info';
  const rawLevel = nonEmpty(env.CREDENCE_LOG_LEVEL);
  if (rawLevel !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as LogLevel;
    else problems.push(`CREDENCE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}"`);
  }

  let database: DatabaseConfig = parseDatabaseUrl(DEFAULT_DATABASE_URL);
  const rawUrl = nonEmpty(env.CREDENCE_DATABASE_URL);
  if (rawUrl !== undefined) {
    try {
      database = parseDatabaseUrl(rawUrl);
    } catch (err) {
      problems.push(`CREDENCE_DATABASE_URL: ${(err as Error).message}`);
    }
  }
  if (database.engine === 'sqlite' && database.sqlitePath !== ':memory:') {
    database.sqlitePath = path.resolve(cwd, database.sqlitePath!);
  }

  const secretKey = nonEmpty(env.CREDENCE_SECRET_KEY);
  if (secretKey !== undefined) {
    const problem = describeSecretKeyProblem(secretKey);
    if (problem) problems.push(`CREDENCE_SECRET_KEY ${problem}`);
  }

  let webhookAllowPrivate = false;
  const rawAllow = nonEmpty(env.CREDENCE_WEBHOOK_ALLOW_PRIVATE);
  if (rawAllow !== undefined) {
    if (rawAllow === 'true' || rawAllow === 'false') webhookAllowPrivate = rawAllow === 'true';
    else problems.push(`CREDENCE_WEBHOOK_ALLOW_PRIVATE must be true or false, got "${rawAllow}"`);
  }

  const seconds = (name: string, fallback: number, min: number, max: number): number => {
    const raw = nonEmpty(env[name]);
    if (raw === undefined) return fallback * 1000;
    const n = Number(raw);
    if (/^\d+$/.test(raw) && n >= min && n <= max) return n * 1000;
    problems.push(`${name} must be a whole number of seconds from ${min} to ${max}, got "${raw}"`);
    return fallback * 1000;
  };
  const jobVisibilityTimeoutMs = seconds('CREDENCE_JOB_VISIBILITY_TIMEOUT', 30, 1, 3600);
  const shutdownGraceMs = seconds('CREDENCE_SHUTDOWN_GRACE_SECONDS', 10, 0, 3600);

  let smsRetentionMs = 24 * 3600_000;
  const rawRetention = nonEmpty(env.CREDENCE_SMS_RETENTION_HOURS);
  if (rawRetention !== undefined) {
    const n = Number(rawRetention);
    if (!/^\d+(\.\d+)?$/.test(rawRetention) || n > 24 * 365)
      problems.push(
        `CREDENCE_SMS_RETENTION_HOURS must be a number of hours from 0 to 8760, got "${rawRetention}"`,
      );
    else smsRetentionMs = Math.round(n * 3600_000);
  }

  let finboxRateLimit = 50;
  const rawRate = nonEmpty(env.CREDENCE_FINBOX_RATE_LIMIT);
  if (rawRate !== undefined) {
    const n = Number(rawRate);
    if (!/^\d+$/.test(rawRate) || n < 1)
      problems.push(
        `CREDENCE_FINBOX_RATE_LIMIT must be a whole number of requests per second, at least 1, got "${rawRate}"`,
      );
    else finboxRateLimit = n;
  }

  let queueBackend: QueueBackend = database.engine === 'postgres' ? 'pgboss' : 'embedded';
  const rawQueue = nonEmpty(env.CREDENCE_QUEUE);
  if (rawQueue !== undefined) {
    if (rawQueue !== 'embedded' && rawQueue !== 'pgboss')
      problems.push(`CREDENCE_QUEUE must be embedded or pgboss, got "${rawQueue}"`);
    else if (rawQueue === 'pgboss' && database.engine !== 'postgres')
      problems.push('CREDENCE_QUEUE=pgboss needs a postgres:// CREDENCE_DATABASE_URL');
    else queueBackend = rawQueue;
  }

  const redisUrl = nonEmpty(env.CREDENCE_REDIS_URL);
  if (redisUrl !== undefined) {
    const problem = describeRedisUrlProblem(redisUrl);
    if (problem) problems.push(`CREDENCE_REDIS_URL ${problem}, got "${redisUrl}"`);
  }
  let rateLimitFail: 'open' | 'closed' = 'open';
  const rawFail = nonEmpty(env.CREDENCE_RATE_LIMIT_FAIL);
  if (rawFail !== undefined) {
    if (rawFail === 'open' || rawFail === 'closed') rateLimitFail = rawFail;
    else problems.push(`CREDENCE_RATE_LIMIT_FAIL must be open or closed, got "${rawFail}"`);
  }

  let publicUrl = hostUrl(host, port);
  const rawPublic = nonEmpty(env.CREDENCE_PUBLIC_URL);
  const publicUrlAtListen = rawPublic === undefined && port === 0;
  if (rawPublic !== undefined) {
    if (httpUrl(rawPublic) && !/[?#]/.test(rawPublic)) publicUrl = rawPublic.replace(/\/+$/, '');
    else problems.push(`CREDENCE_PUBLIC_URL must be an http(s) URL without query, got "${rawPublic}"`);
  }

  let trustProxy: string[] = [];
  const rawTrust = nonEmpty(env.CREDENCE_TRUST_PROXY);
  if (rawTrust !== undefined) {
    const entries = rawTrust
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const bad = entries.filter((e) => !isProxyRange(e));
    if (bad.length > 0 || entries.length === 0)
      problems.push(
        `CREDENCE_TRUST_PROXY must list the reverse proxies' addresses or CIDR blocks (or loopback, linklocal, uniquelocal), comma-separated, got "${rawTrust}"`,
      );
    else trustProxy = entries;
  }

  let camara = DEFAULT_CAMARA_CONFIG;
  const camaraFile = nonEmpty(env.CREDENCE_CAMARA_CONFIG);
  if (camaraFile !== undefined) {
    let text: string | undefined;
    try {
      // An editor's byte-order mark is no part of the JSON.
      text = withoutBom(fs.readFileSync(path.resolve(cwd, camaraFile), 'utf8'));
    } catch (err) {
      problems.push(`CREDENCE_CAMARA_CONFIG: cannot read ${camaraFile}: ${(err as Error).message}`);
    }
    let doc: unknown;
    if (text !== undefined) {
      try {
        doc = JSON.parse(text);
      } catch (err) {
        problems.push(`CREDENCE_CAMARA_CONFIG: ${camaraFile} is not valid JSON: ${(err as Error).message}`);
      }
    }
    if (doc !== undefined) {
      const parsed = parseCamaraConfig(doc);
      if ('config' in parsed) camara = parsed.config;
      else for (const p of parsed.problems) problems.push(`CREDENCE_CAMARA_CONFIG (${camaraFile}): ${p}`);
    }
  }

  let externalOidc: ExternalOidcConfig | undefined;
  const issuer = nonEmpty(env.CREDENCE_OIDC_ISSUER);
  const jwksUrl = nonEmpty(env.CREDENCE_OIDC_JWKS_URL);
  if ((issuer === undefined) !== (jwksUrl === undefined)) {
    problems.push('CREDENCE_OIDC_ISSUER and CREDENCE_OIDC_JWKS_URL must be set together');
  } else if (issuer === undefined) {
    // Settings of the external provider without the provider would be silently ignored.
    for (const name of ['CREDENCE_OIDC_AUDIENCE', 'CREDENCE_OIDC_SUBSCRIBER_CLAIM', 'CREDENCE_OIDC_TENANT'])
      if (nonEmpty(env[name]) !== undefined)
        problems.push(
          `${name} needs CREDENCE_OIDC_ISSUER and CREDENCE_OIDC_JWKS_URL: it configures that provider`,
        );
  } else if (jwksUrl !== undefined) {
    if (!httpUrl(jwksUrl)) problems.push(`CREDENCE_OIDC_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
    const audience = nonEmpty(env.CREDENCE_OIDC_AUDIENCE);
    const tenant = nonEmpty(env.CREDENCE_OIDC_TENANT);
    externalOidc = {
      issuer,
      jwksUrl,
      subscriberClaim: nonEmpty(env.CREDENCE_OIDC_SUBSCRIBER_CLAIM) ?? 'phone_number',
      ...(audience ? { audience } : {}),
      ...(tenant ? { tenant } : {}),
    };
  }
  const connectors = readConnectorConfig(env, cwd, problems);

  let compositeWeights: Record<string, number> = {};
  const rawWeights = nonEmpty(env.CREDENCE_COMPOSITE_WEIGHTS);
  if (rawWeights !== undefined) {
    const parsed = parseWeights(rawWeights, SCORED_SERVICES);
    if ('problems' in parsed)
      for (const p of parsed.problems) problems.push(`CREDENCE_COMPOSITE_WEIGHTS: ${p}`);
    else compositeWeights = Object.fromEntries(parsed.weights);
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir =
    database.engine === 'sqlite' && database.sqlitePath !== ':memory:'
      ? path.dirname(database.sqlitePath!)
      : path.resolve(cwd, 'data');

  return {
    host,
    port,
    ...(workerPort !== undefined ? { workerPort } : {}),
    database,
    logLevel,
    ...(secretKey ? { secretKey } : {}),
    dataDir,
    webhookAllowPrivate,
    jobVisibilityTimeoutMs,
    shutdownGraceMs,
    smsRetentionMs,
    finboxRateLimit,
    queueBackend,
    ...(redisUrl ? { redisUrl } : {}),
    rateLimitFail,
    publicUrl,
    ...(publicUrlAtListen ? { publicUrlAtListen } : {}),
    trustProxy,
    camara,
    ...(externalOidc ? { externalOidc } : {}),
    connectors,
    compositeWeights,
  };
}

/** The default public URL: `http://<host>:<port>`, an IPv6 host in brackets. */
export function hostUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function wholeNumber(
  env: Record<string, string | undefined>,
  name: string,
  min: number,
  max: number,
  fallback: number,
  problems: string[],
): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

function readConnectorConfig(
  env: Record<string, string | undefined>,
  cwd: string,
  problems: string[],
): ConnectorConfig {
  const urls = { ...DEFAULT_CONNECTOR_URLS };
  for (const service of CONNECTOR_SERVICES) {
    const name = `CREDENCE_CONNECTOR_${service.toUpperCase()}_URL`;
    const raw = nonEmpty(env[name]);
    if (raw === undefined) continue;
    if (!httpUrl(raw)) problems.push(`${name} must be an http or https URL, got "${raw}"`);
    else urls[service] = raw.replace(/\/+$/, '');
  }
  const geoipDb = nonEmpty(env.CREDENCE_GEOIP_DB);
  const geoipAsnDb = nonEmpty(env.CREDENCE_GEOIP_ASN_DB);
  for (const [name, file] of [
    ['CREDENCE_GEOIP_DB', geoipDb],
    ['CREDENCE_GEOIP_ASN_DB', geoipAsnDb],
  ] as const) {
    if (file === undefined) continue;
    const stat = fs.statSync(path.resolve(cwd, file), { throwIfNoEntry: false });
    if (!stat?.isFile())
      problems.push(
        `${name} must name a MaxMind database file (.mmdb), and ${file} is ${stat ? 'not a file' : 'not there'}`,
      );
  }
  return {
    urls,
    timeoutMs: wholeNumber(env, 'CREDENCE_CONNECTOR_TIMEOUT', 1, 300, 10, problems) * 1000,
    attempts: wholeNumber(env, 'CREDENCE_CONNECTOR_ATTEMPTS', 1, 10, 3, problems),
    ...(geoipDb ? { geoipDb: path.resolve(cwd, geoipDb) } : {}),
    ...(geoipAsnDb ? { geoipAsnDb: path.resolve(cwd, geoipAsnDb) } : {}),
    documentMaxBytes: wholeNumber(
      env,
      'CREDENCE_DOCUMENT_MAX_BYTES',
      1024,
      1 << 30,
      10 * 1024 * 1024,
      problems,
    ),
    documentTimeoutMs: wholeNumber(env, 'CREDENCE_DOCUMENT_TIMEOUT', 1, 600, 20, problems) * 1000,
  };
}

/** A secret key is 32 bytes written as 64 hex digits or as base64 (standard or url-safe). */
export function decodeSecretKey(value: string): Buffer | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const buf = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (buf.length === 32) return buf;
  }
  return undefined;
}

function describeSecretKeyProblem(value: string): string | undefined {
  for (const part of value.split(',')) {
    if (!decodeSecretKey(part)) {
      return 'must be 32 random bytes as 64 hex digits or 44 base64 characters (generate one with: openssl rand -base64 32)';
    }
  }
  return undefined;
}

/**
 * A Redis URL's path is the database number (`redis://host:6379/2`), as its client reads it: any
 * other path would be sent to Redis as a database it refuses, and the counters kept in database 0.
 */
function describeRedisUrlProblem(value: string): string | undefined {
  if (!/^rediss?:\/\//.test(value)) return 'must be a redis:// or rediss:// URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a redis:// or rediss:// URL';
  }
  if (!/^(\/\d*)?$/.test(url.pathname)) return 'may end only in a database number (redis://host:6379/2)';
  return undefined;
}

/** An http(s) URL with a host, parsed; undefined for anything else. */
function httpUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** A proxy address or range as proxy-addr reads it. */
function isProxyRange(entry: string): boolean {
  if (entry === 'loopback' || entry === 'linklocal' || entry === 'uniquelocal') return true;
  try {
    parseCidr(entry);
    return true;
  } catch {
    return false;
  }
}
