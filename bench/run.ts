/**
 * `npm run bench`: the foundation benchmark.
 * - HTTP: autocannon at 50 connections against POST /cladfy/v1/demographic_score/ (auth, validation,
 *   scoring, durable history write) and, in the same run, against a bare Fastify route returning
 *   fixed JSON. Target: the scoring route sustains >= 50% of the bare route's requests/s, p99 <= 10 ms.
 * - Scorecard evaluation alone: >= 1,000,000 evaluations/s on one core (12 characteristics).
 * Results are written as JSON to bench/results/.
 * Options: --duration <s> (default 10), --connections <n> (default 50).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { benchScorecard } from './scorecard-micro.js';
import { freePort, ROOT, summary, waitUntilReady, writeResult } from './support.js';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

function spawnAndWaitForUrl(
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

async function load(url: string, opts: Partial<autocannon.Options>): Promise<autocannon.Result> {
  // A short warm-up first, so the JIT and caches are in steady state.
  await autocannon({ url, connections, duration: 2, ...opts });
  return autocannon({ url, connections, duration, ...opts });
}

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

  const bare = await spawnAndWaitForUrl(
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bench/bare-server.ts'],
    {},
  );
  console.log(`bare Fastify route, ${connections} connections, ${duration}s...`);
  const bareResult = await load(`${bare.url}/bare`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests,
  });
  bare.child.kill('SIGTERM');

  // Request logs off while measuring, as for the bare route: the comparison is of the work done.
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/credence.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env, CREDENCE_LOG_LEVEL: 'warn', CREDENCE_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const server = { child, url: `http://127.0.0.1:${port}` };
  await waitUntilReady(server.url);
  console.log(`POST /cladfy/v1/demographic_score/, ${connections} connections, ${duration}s...`);
  const scoring = await load(`${server.url}/cladfy/v1/demographic_score/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    requests,
  });
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));

  const ratio = scoring.requests.average / bareResult.requests.average;
  const result = {
    benchmark: 'foundation',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: { connections, durationSeconds: duration, database: 'sqlite (WAL, synchronous=FULL)' },
    bare: summary(bareResult),
    scoring: summary(scoring),
    ratio: Math.round(ratio * 1000) / 1000,
    scorecardMicro: micro,
    targets: {
      ratioAtLeast: 0.5,
      p99AtMostMs: 10,
      evaluationsPerSecondAtLeast: 1_000_000,
      met: {
        ratio: ratio >= 0.5,
        p99: scoring.latency.p99 <= 10,
        micro: micro.evaluationsPerSecond >= 1_000_000,
        noErrors: scoring.non2xx === 0 && scoring.errors === 0,
      },
    },
  };
  const file = writeResult('foundation', result);
  fs.rmSync(dataDir, { recursive: true, force: true });

  console.log(
    JSON.stringify(
      {
        bare: result.bare,
        scoring: result.scoring,
        ratio: result.ratio,
        micro: micro.evaluationsPerSecond,
        met: result.targets.met,
      },
      null,
      2,
    ),
  );
  console.log(`written to ${path.relative(ROOT, file)}`);
  if (!Object.values(result.targets.met).every(Boolean)) process.exitCode = 1;
}

await main();
