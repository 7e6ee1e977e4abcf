/** A fresh PostgreSQL schema for one benchmark run, dropped afterwards (with the queue's schema). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export async function createBenchSchema(
  databaseUrl: string,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`create schema ${schema}`);
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { CREDENCE_DATABASE_URL: u.toString(), CREDENCE_SECRET_KEY: randomBytes(32).toString('base64') },
    drop: async () => {
      await run(`drop schema if exists ${schema} cascade`);
      await run(`drop schema if exists ${schema}_pgboss cascade`);
    },
  };
}
