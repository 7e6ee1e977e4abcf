/**
 * `npm run bench:td`: the TD credit-indicator call with a large consortium.
 *
 * Seeds 1,000,000 consortium applications from 10 platforms (bulk inserts, not API calls), then
 * drives `POST /td/api` for `multiplatform_multi_V1_1` with autocannon against a real server
 * process: authentication, validation, the consortium lookup by id hash and phone hash, and the
 * billing transaction (call record, debit, ledger entry, the call's own application). Also times
 * the consortium lookup alone, in-process. Target: the call's p99 latency at most 10 ms.
 * Results are written as JSON to bench/results/.
 *
 * Options: --rows <n> (default 1000000), --platforms <n> (10), --duration <s> (10),
 * --connections <n> (10), --database-url <postgres://...> (default: a fresh SQLite file; give an
 * empty PostgreSQL database), --db postgres (a fresh schema in postgres://postgres@127.0.0.1:5432/test,
 * dropped afterwards), --without-app-name (calls that record no application), --profile <dir> (CPU
 * profile of the server).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { checkNationalPhone } from '../src/domain/national-phone.js';
import { ConsortiumHasher } from '../src/security/consortium-hasher.js';
import { resolveSecretKey } from '../src/security/secret-key.js';
import { createBenchSchema } from './pg-schema.js';
import { latencyPercentiles, ROOT, startCredence, summary, withServerCpu, writeResult } from './support.js';
import { type Person, person, seed } from './td-seed.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    platforms: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'database-url': { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    'without-app-name': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const PLATFORMS = Number(values.platforms);
const duration = Number(values.duration);
const connections = Number(values.connections);
const PKG = 'multiplatform_multi_V1_1';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-td-'));
  const schema =
    values.db === 'postgres' ? await createBenchSchema('postgres://postgres@127.0.0.1:5432/test') : null;
  if (schema) values['database-url'] = schema.env.CREDENCE_DATABASE_URL;
  const env: Record<string, string> = values['database-url']
    ? {
        CREDENCE_DATABASE_URL: values['database-url'],
        CREDENCE_SECRET_KEY: randomBytes(32).toString('base64'),
        CREDENCE_LOG_LEVEL: 'warn',
      }
    : { CREDENCE_DATABASE_URL: `sqlite:${path.join(dataDir, 'credence.db')}`, CREDENCE_LOG_LEVEL: 'warn' };
  const config = loadConfig(env, dataDir);
  const ctx = await createContext(config);
  const hasher = new ConsortiumHasher(resolveSecretKey(config).keys);

  const platforms: string[] = [];
  for (let i = 0; i < PLATFORMS; i++) {
    const name = `bench-platform-${i}-${randomBytes(3).toString('hex')}`;
    platforms.push((await ctx.tenants.create(name)).id);
    await ctx.consortium.join(name);
  }
  const asker = (await ctx.tenants.list()).find((t) => t.id === platforms[0])!;
  const partner = await ctx.partners.create({ tenant: asker.name, countries: ['IN'] });
  await ctx.partners.addPackage({ partner: partner.code, package: PKG, price: '0.0001' });
  await ctx.partners.topUp(partner.code, '1000000');

  console.log(
    `seeding ${ROWS.toLocaleString()} applications from ${PLATFORMS} platforms (${config.database.engine})...`,
  );
  const seedMs = await seed(ctx, hasher, platforms, ROWS);
  console.log(`\n  seeded in ${(seedMs / 1000).toFixed(1)} s`);

  // People in the consortium whose phone keeps the Indian rules: the requests' subjects.
  const people: Person[] = [];
  for (let n = 0; people.length < 5000; n += 7) {
    const p = person(n);
    if (checkNationalPhone('IN', p.phone)) people.push(p);
  }

  // The lookup alone, in-process: both index probes and the membership filter.
  const lookups: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const p = people[i % people.length]!;
    const t0 = performance.now();
    await ctx.consortium.recordsOf({ country: 'IN', nationalId: p.aadhaar, phone: `+91${p.phone}` });
    lookups.push(performance.now() - t0);
  }
  lookups.sort((a, b) => a - b);
  const lookup = {
    p50: +percentile(lookups, 50).toFixed(3),
    p99: +percentile(lookups, 99).toFixed(3),
    max: +lookups[lookups.length - 1]!.toFixed(3),
  };
  console.log(`consortium lookup alone: p50 ${lookup.p50} ms, p99 ${lookup.p99} ms`);
  const plan =
    ctx.database.engine === 'sqlite'
      ? ctx.database
          .sqlite!.prepare(
            `explain query plan select platform_id from consortium_applications
             where (id_hash in (?) or phone_hash in (?)) and platform_id in (select tenant_id from consortium_members)`,
          )
          .all('x', 'y')
          .map((r) => (r as { detail: string }).detail)
      : [];
  await ctx.close();

  const server = await startCredence(env, values.profile);
  const target = `${server.url}/td/api?partner_code=${partner.code}&partner_key=${partner.key}`;
  const bodies = people.map((p, i) =>
    JSON.stringify({
      id_number: p.aadhaar,
      id_type: 'national_id',
      country: 'IN',
      name: 'Bench Person',
      phone_number: p.phone,
      ...(values['without-app-name'] ? {} : { app_name: `bench-app-${i % 3}` }),
      package_name: PKG,
    }),
  );
  // Every answer must be a real success: check a few before measuring.
  for (const body of bodies.slice(0, 20)) {
    const answer = (await (await fetch(target, { method: 'POST', body })).json()) as {
      code: number;
      data: unknown[];
    };
    if (answer.code !== 200) throw new Error(`the bench call failed: ${JSON.stringify(answer)}`);
  }
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => {
        req.body = bodies[next++ % bodies.length]!;
        return req;
      },
    },
  ];
  // Every response time, for exact percentiles (autocannon's own keep whole milliseconds).
  const run = (seconds: number, conns: number, latencies: number[] = []) =>
    autocannon({
      url: target,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      connections: conns,
      duration: seconds,
      requests,
      setupClient: (client: autocannon.Client) => {
        client.on('response', (_status: number, _bytes: number, ms: number) => latencies.push(ms));
      },
    });
  console.log(`POST /td/api (${PKG}), warm-up...`);
  await run(2, connections);
  console.log(`POST /td/api (${PKG}), ${connections} connections, ${duration}s...`);
  const loadedLatencies: number[] = [];
  // The server's CPU time per call (µs): steadier than calls/s when the machine's speed varies.
  const { result: loaded, cpuUsPerRequest: serverCpuUsPerCall } = await withServerCpu(
    [server.child.pid!],
    () => run(duration, connections, loadedLatencies),
  );
  console.log(`POST /td/api (${PKG}), 1 connection, ${duration}s...`);
  const singleLatencies: number[] = [];
  const single = await run(duration, 1, singleLatencies);
  await server.stop();
  const loadedMs = latencyPercentiles(loadedLatencies);

  // Every call that was answered must have succeeded and been charged.
  const check = await createContext(config);
  const usage = await check.partners.usage(partner.code, 1);
  const rows = await check.database.db
    .selectFrom('consortium_applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await check.close();

  const result = {
    benchmark: 'td',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: {
      database: config.database.engine === 'sqlite' ? 'sqlite (WAL, synchronous=FULL)' : 'postgres',
      consortiumRows: ROWS,
      platforms: PLATFORMS,
      package: PKG,
      connections,
      durationSeconds: duration,
      appName: !values['without-app-name'],
    },
    seedSeconds: +(seedMs / 1000).toFixed(1),
    consortiumRowsAfter: Number(rows.n),
    lookupAloneMs: lookup,
    queryPlan: plan,
    call: { ...summary(loaded), latencyMs: loadedMs },
    serverCpuUsPerCall,
    callOneConnection: { ...summary(single), latencyMs: latencyPercentiles(singleLatencies) },
    calls: usage.totals,
    targets: {
      p99AtMostMs: 10,
      met: {
        p99: loadedMs.p99 <= 10,
        allSucceeded:
          usage.totals.calls === usage.totals.succeeded && loaded.non2xx === 0 && loaded.errors === 0,
      },
    },
  };
  const file = writeResult('td', result);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await schema?.drop();
  console.log(
    JSON.stringify(
      {
        call: result.call,
        serverCpuUsPerCall,
        callOneConnection: result.callOneConnection,
        lookupAloneMs: lookup,
        calls: usage.totals,
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
