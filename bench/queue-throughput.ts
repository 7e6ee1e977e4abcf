/**
 * `npm run bench:queue`: the embedded job queue's throughput with no-op handlers, enqueue to
 * completed, on an SQLite file (WAL, synchronous=FULL) or, with --database postgres://..., on
 * PostgreSQL. Jobs are enqueued by many concurrent callers, as request handlers would.
 * Target: at least 2,000 jobs/s. JSON goes to bench/results/queue-<time>.json.
 * Options: --jobs <n> (default 20000), --concurrency <n> handler slots (default 64), --database <url>.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { EmbeddedQueue } from '../src/jobs/embedded-queue.js';
import { systemClock } from '../src/lib/clock.js';
import { writeResult } from './support.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    database: { type: 'string' },
  },
});
const total = Number(values.jobs);
const concurrency = Number(values.concurrency);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-queue-bench-'));
  const url = values.database ?? `sqlite:${path.join(dir, 'credence.db')}`;
  const config = loadConfig({ CREDENCE_DATABASE_URL: url }, dir);
  const handle = openDatabase(config.database);
  await migrateToLatest(handle);
  const queue = new EmbeddedQueue(handle, systemClock, { pollIntervalMs: 50 });
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((r) => {
    finished = r;
  });
  queue.register(
    'bench.noop',
    async () => {
      if (++done === total) finished();
    },
    { concurrency },
  );
  queue.start();

  // Warm-up, not measured.
  await Promise.all(Array.from({ length: 500 }, (_, i) => queue.enqueue('bench.warm', { i })));

  const started = performance.now();
  const callers = 100;
  let next = 0;
  let enqueuedAt = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) {
        const i = next++;
        await queue.enqueue('bench.noop', { i });
      }
    }),
  ).then(() => {
    enqueuedAt = performance.now();
  });
  await allDone;
  await queue.drain(60_000);
  const seconds = (performance.now() - started) / 1000;
  await queue.stop();
  const completed = await handle.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('name', '=', 'bench.noop')
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow();
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const jobsPerSecond = Math.round(total / seconds);
  const result = {
    benchmark: 'queue',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: { jobs: total, handlerConcurrency: concurrency, callers, database: config.database.engine },
    seconds: Math.round(seconds * 1000) / 1000,
    enqueueSeconds: Math.round(((enqueuedAt - started) / 1000) * 1000) / 1000,
    jobsPerSecond,
    completedInDatabase: Number(completed.n),
    targets: {
      jobsPerSecondAtLeast: 2000,
      met: { throughput: jobsPerSecond >= 2000, all: Number(completed.n) === total },
    },
  };
  const file = writeResult('queue', result);
  console.log(JSON.stringify(result, null, 2));
  console.log(`written to ${file}`);
  if (!Object.values(result.targets.met).every(Boolean)) process.exitCode = 1;
}

await main();
