/** Builds the real app on a test database, with helpers to make tenants and keys. */
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from '../../src/app.js';
import type { Config, DatabaseEngine } from '../../src/config.js';
import type { AppContext, ContextOptions } from '../../src/context.js';
import type { Clock } from '../../src/lib/clock.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  db: TestDatabase;
  /** Creates a tenant and a key for it; scopes default to everything. */
  tenantWithKey(name: string, scopes?: string[]): Promise<{ tenantId: string; key: string }>;
  key(tenant: string, scopes?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(
  engine: DatabaseEngine,
  options: {
    clock?: Clock;
    modelsDir?: string;
    keyCacheTtlMs?: number;
    queue?: ContextOptions['queue'];
    webhooks?: ContextOptions['webhooks'];
    /** Run the job worker (default true); a test that wants jobs to wait starts it itself. */
    startWorkers?: boolean;
    /** Changes to the test configuration (e.g. webhookAllowPrivate: false). */
    config?: Partial<Config>;
    /** Fastify logger options, for a test that reads the log (default: no log). */
    logger?: BuildOptions['logger'];
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(engine);
  const { config, ...rest } = options;
  const app = await buildApp(
    { ...db.config, ...config },
    { logger: false, queue: { pollIntervalMs: 20 }, ...rest },
  );
  // Ready now, so the job worker runs for tests that use the services before any request.
  await app.ready();
  const ctx = app.ctx;
  const key = async (tenant: string, scopes?: string[]) => (await ctx.apiKeys.create({ tenant, scopes })).key;
  return {
    app,
    ctx,
    db,
    key,
    async tenantWithKey(name, scopes) {
      const t = await ctx.tenants.create(name);
      return { tenantId: t.id, key: await key(name, scopes) };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
