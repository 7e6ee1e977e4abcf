/**
 * `npm run bench`: the foundation benchmark.
 * - HTTP: autocannon at 50 connections against POST /cladfy/v1/demographic_score/ (auth, validation,
 *   scoring, durable history write) and, in the same run, against a bare Fastify route returning
 *   fixed JSON. Target: the scoring route sustains >= 50% of the bare route's requests/s, p99 <= 10 ms.
 * - Scorecard evaluation alone: >= 1,000,000 evaluations/s on one core (12 characteristics).
 * Results are written as JSON to bench/results/.
 * Options: --duration <s> (default 10), --connections <n> (default 50), --profile <dir> (CPU profile
 * of each scoring server). Besides requests/s it records each server's CPU time per request, bare
 * and scoring, and their quotient (cpuRatio).
 *
 * `--db postgres` runs the same scoring route on PostgreSQL (a fresh schema in --database-url,
 * default postgres://postgres@127.0.0.1:5432/test), with one server process and then with two
 * replicas on the same database, autocannon spreading its connections over both; in the same run
 * it measures SQLite again, for the ratio under the same load, and writes `foundation-postgres-*`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createBenchSchema } from './pg-schema.js';
import { benchScorecard } from './scorecard-micro.js';
import {
  againstBare,
  againstBareInSlices,
  cpuRatio,
  loadWithWarmUp,
  measureBare,
  ROOT,
  reportAgainstBare,
  startCredence,
  summary,
  writeResult,
} from './support.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    db: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    profile: { type: 'string' },
  },
});
if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db is sqlite or postgres');
const duration = Number(values.duration);
const connections = Number(values.connections);

// autocannon takes several urls and gives its connections to them in turn (lib/run.js); its type
// declarations only know one.
const load = (urls: string | string[], opts: Partial<autocannon.Options>, pids: number[]) =>
  loadWithWarmUp(urls as string, { ...opts, connections, duration }, pids);

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-'));
  const env = {
    CREDENCE_DATABASE_URL: `sqlite:${path.join(dataDir, 'credence.db')}`,
    CREDENCE_LOG_LEVEL: 'warn',
  };
  const ctx = await createContext(loadConfig(env, dataDir));
  await ctx.tenants.create('bench');
  const { key } = await ctx.apiKeys.create({ tenant: 'bench' });
  await ctx.close();

  console.log(`scorecard micro-benchmark (${os.cpus()[0]?.model ?? 'cpu'})...`);
  const micro = benchScorecard(3);
  console.log(`  ${micro.evaluationsPerSecond.toLocaleString()} evaluations/s`);

  // Both routes get the same requests from the same client: a pool of varied applicants, cycled.
  const bodies = Array.from({ length: 5000 }, (_, n) =>
    JSON.stringify({
      client_id: `applicant-${n}`,
      age: 18 + (n % 50),
      marital_status: ['single', 'married', 'divorced', 'widowed'][n % 4],
      dependants: n % 5,
      education: ['secondary', 'university', 'primary'][n % 3],
      employment_type: ['salaried', 'self_employed', 'part_time'][n % 3],
      years_at_job: n % 20,
      residence_type: ['rent', 'owner', 'parents'][n % 3],
      monthly_net_income: 20000 + (n % 100) * 500,
      expenses: 8000 + (n % 50) * 200,
      location: 'city',
      customer_tier: 'tier_2',
    }),
  );
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => {
        req.body = bodies[next++ % bodies.length]!;
        return req;
      },
    },
  ];

  if (values.db === 'postgres') {
    console.log(`bare Fastify route, ${connections} connections, ${duration}s...`);
    const { result: bareResult } = await measureBare({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests,
      connections,
      duration,
    });
    await comparePostgres(env, key, bareResult, requests, micro);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  // Request logs off while measuring, as for the bare route: the comparison is of the work done.
  const server = await startCredence(env, values.profile);
  console.log(
    `bare Fastify route and POST /cladfy/v1/demographic_score/, ${connections} connections, ${duration}s each in alternating slices...`,
  );
  // The bare route answers with a copy of the route's answer to the first request: the same bytes.
  const {
    bare,
    route: scoring,
    bareAnswerBytes,
  } = await againstBareInSlices(
    {
      url: `${server.url}/cladfy/v1/demographic_score/`,
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      pids: [server.child.pid!],
    },
    { method: 'POST', requests, connections, duration, bareBody: { answerTo: bodies[0]! } },
  );
  await server.stop();
  const verdict = againstBare(bare, scoring);
  const result = {
    benchmark: 'foundation',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: {
      connections,
      durationSeconds: duration,
      bareAnswerBytes,
      database: 'sqlite (WAL, synchronous=FULL)',
      method: 'bare and scoring routes in alternating slices',
    },
    bare,
    scoring,
    serverCpuUsPerRequest: { bare: bare.serverCpuUsPerRequest, scoring: scoring.serverCpuUsPerRequest },
    cpuRatio: cpuRatio(bare.serverCpuUsPerRequest, scoring.serverCpuUsPerRequest),
    ratio: verdict.ratio,
    scorecardMicro: micro,
    targets: {
      ...verdict.targets,
      evaluationsPerSecondAtLeast: 1_000_000,
      met: { ...verdict.targets.met, micro: micro.evaluationsPerSecond >= 1_000_000 },
    },
  };
  fs.rmSync(dataDir, { recursive: true, force: true });
  reportAgainstBare('foundation', result, { micro: micro.evaluationsPerSecond });
}

/**
 * Starts `replicas` server processes on the database of `env` (request logs off while measuring,
 * as for the bare route: the comparison is of the work done), loads the scoring route spread over
 * all of them, and stops them. Also returns their CPU time per request (µs; null without /proc).
 */
async function scoreWith(
  env: Record<string, string>,
  key: string,
  requests: autocannon.Request[],
  replicas: number,
): Promise<{ result: autocannon.Result; cpuUsPerRequest: number | null }> {
  const servers: Awaited<ReturnType<typeof startCredence>>[] = [];
  // Request logs off while measuring, as for the bare route.
  for (let i = 0; i < replicas; i++)
    servers.push(await startCredence({ ...env, CREDENCE_LOG_LEVEL: 'warn' }, values.profile));
  console.log(
    `POST /cladfy/v1/demographic_score/ on ${env.CREDENCE_DATABASE_URL?.split(':')[0]}, ${replicas} process(es), ${connections} connections, ${duration}s...`,
  );
  const { result, cpuUsPerRequest } = await load(
    servers.map((s) => `${s.url}/cladfy/v1/demographic_score/`),
    { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, requests },
    servers.map((s) => s.child.pid!),
  );
  for (const s of servers) await s.stop();
  return { result, cpuUsPerRequest };
}

/** SQLite, then PostgreSQL with one and with two replicas, under the same load, one after the other. */
async function comparePostgres(
  sqliteEnv: Record<string, string>,
  sqliteKey: string,
  bare: autocannon.Result,
  requests: autocannon.Request[],
  micro: ReturnType<typeof benchScorecard>,
) {
  const schema = await createBenchSchema(values['database-url']!);
  try {
    const env = { ...schema.env, CREDENCE_LOG_LEVEL: 'warn' };
    const ctx = await createContext(loadConfig(env));
    await ctx.tenants.create('bench');
    const { key } = await ctx.apiKeys.create({ tenant: 'bench' });
    await ctx.close();
    const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
    const legs: Record<
      string,
      { result: ReturnType<typeof summary>; serverCpuUsPerRequest: number | null; loadAverage: number[] }
    > = {};
    for (const [name, e, k, replicas] of [
      ['sqlite', sqliteEnv, sqliteKey, 1],
      ['postgres1', env, key, 1],
      ['postgres2', env, key, 2],
    ] as const) {
      const before = load();
      const r = await scoreWith(e, k, requests, replicas);
      legs[name] = {
        result: summary(r.result),
        serverCpuUsPerRequest: r.cpuUsPerRequest,
        loadAverage: before,
      };
    }
    const rps = (n: string) => legs[n]!.result.requestsPerSecond;
    const result = {
      benchmark: 'foundation-postgres',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      settings: {
        connections,
        durationSeconds: duration,
        sqlite: 'WAL, synchronous=FULL',
        postgres: `${values['database-url']} (same machine), fresh schema`,
      },
      bare: summary(bare),
      sqlite: legs.sqlite,
      postgresOneReplica: legs.postgres1,
      postgresTwoReplicas: legs.postgres2,
      postgresToSqlite: Math.round((rps('postgres1') / rps('sqlite')) * 1000) / 1000,
      twoReplicasToOne: Math.round((rps('postgres2') / rps('postgres1')) * 1000) / 1000,
      scorecardMicro: micro,
    };
    const file = writeResult('foundation-postgres', result);
    console.log(JSON.stringify({ ...result, scorecardMicro: undefined, machine: undefined }, null, 2));
    console.log(`written to ${path.relative(ROOT, file)}`);
    const failed = Object.values(legs).some((l) => l.result.non2xx > 0 || l.result.errors > 0);
    if (failed) process.exitCode = 1;
  } finally {
    await schema.drop();
  }
}

await main();
