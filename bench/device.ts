/**
 * `npm run bench:device`:
 * - featurization of one customer with 10,000 SMS, 300 apps and 5,000 calls, both the computation
 *   alone and with reading and decrypting the stored data (target <= 200 ms);
 * - the SMS parser's throughput (target >= 50,000 messages/s);
 * - HTTP: POST /finbox/staging/risk/predictors for already-featurized customers against a bare
 *   Fastify route, as bench/run.ts does (target >= 50% of the bare route's requests/s), the bare
 *   route answering with a copy of one of the route's own answers (91 predictors, about 4 kB). A
 *   second run against the bare route's small Cladfy-shaped answer, which earlier results were
 *   measured against, is recorded too (`versusSmallAnswer`).
 * Options: --duration <s> (default 10), --connections <n> (default 50), --no-http (only the
 * in-process measures), --profile <dir> (CPU profile of the server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { computePredictorSets } from '../src/domain/features/predictors/registry.js';
import { parseSms } from '../src/domain/features/sms/parse.js';
import { finboxSalt } from '../src/domain/finbox/salt.js';
import type { Principal } from '../src/services/principal.js';
import { syntheticSync } from '../test/fixtures/device-sync.js';
import {
  againstBare,
  againstBareInSlices,
  cpuRatio,
  oneAnswer,
  startCredence,
  writeResult,
} from './support.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'no-http': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const time = (fn: () => unknown) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-device-'));
  const env = {
    CREDENCE_DATABASE_URL: `sqlite:${path.join(dataDir, 'credence.db')}`,
    CREDENCE_LOG_LEVEL: 'warn',
  };
  const ctx = await createContext(loadConfig(env, dataDir));
  const tenant = await ctx.tenants.create('bench');
  const device = await ctx.apiKeys.create({ tenant: 'bench', type: 'device' });
  const server = await ctx.device.finboxKeys.create({ tenant: 'bench' });
  const who: Principal = {
    tenantId: tenant.id,
    clientId: device.clientId,
    credentialId: device.id,
    credentialType: 'device',
    scopes: ['*'],
  };
  const now = Date.now();
  const toBatch = (b: ReturnType<typeof syntheticSync>) => ({
    customerId: b.customer_id,
    batchId: b.batch_id,
    sms: b.sms ?? [],
    apps: b.apps?.map((a) => ({ package: a.package, firstInstallTime: a.first_install_time })),
    calls: b.calls?.map((c) => ({
      type: c.type as 'incoming',
      duration: c.duration,
      time: c.timestamp,
      number: c.number_hash,
    })),
    contactsCount: b.contacts_count,
    device: { brand: 'samsung', model: 'SM-A125F', ramMb: 4096 },
    permissions: b.permissions,
  });

  // 1. Featurization of one large customer.
  const big = syntheticSync({ customerId: 'BIG', now, sms: 10_000, apps: 300, calls: 5000 });
  const syncStart = performance.now();
  await ctx.device.sync.sync(who, toBatch(big));
  const syncMs = performance.now() - syncStart;
  const c = await ctx.database.db
    .selectFrom('subjects')
    .select('id')
    .where('partner_id', '=', 'BIG')
    .executeTakeFirstOrThrow();
  const snapshot = await ctx.device.features.snapshot(tenant.id, c.id, now);
  const compute = Array.from({ length: 15 }, () => time(() => computePredictorSets(snapshot)));
  const withLoad: number[] = [];
  const withLoadCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    computePredictorSets(await ctx.device.features.snapshot(tenant.id, c.id, now));
    const cpu = process.cpuUsage(cpu0);
    withLoadCpu.push((cpu.user + cpu.system) / 1000);
    withLoad.push(performance.now() - t0);
  }
  const computeCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cpu0 = process.cpuUsage();
    computePredictorSets(snapshot);
    const cpu = process.cpuUsage(cpu0);
    computeCpu.push((cpu.user + cpu.system) / 1000);
  }
  const featurization = {
    sms: snapshot.sms.length,
    apps: snapshot.apps.length,
    calls: snapshot.calls.length,
    computeMsMedian: Math.round(median(compute) * 10) / 10,
    loadAndComputeMsMedian: Math.round(median(withLoad) * 10) / 10,
    // CPU time of the process (every thread): less disturbed by other load than wall time.
    computeCpuMsMedian: Math.round(median(computeCpu) * 10) / 10,
    loadAndComputeCpuMsMedian: Math.round(median(withLoadCpu) * 10) / 10,
    syncOfTheBatchMs: Math.round(syncMs),
  };
  console.log('featurization', featurization);

  // 2. Parser throughput.
  const bodies = big.sms!.map((m) => m.body);
  for (let i = 0; i < 20_000; i++) parseSms(bodies[i % bodies.length]!);
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) parseSms(bodies[i % bodies.length]!);
  const parser = { messages: n, messagesPerSecond: Math.round(n / ((performance.now() - t0) / 1000)) };
  console.log('parser', parser);
  if (values['no-http']) {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }

  // 3. HTTP throughput on featurized customers.
  const customers = Array.from({ length: 200 }, (_, i) => `CUST-${i}`);
  for (const id of customers)
    await ctx.device.sync.sync(
      who,
      toBatch(
        syntheticSync({
          customerId: id,
          now,
          sms: 100,
          apps: 40,
          calls: 50,
          seed: id.length + customers.indexOf(id),
        }),
      ),
    );
  ctx.queue.start();
  await ctx.queue.drain(600_000);
  await ctx.close();
  const bodiesHttp = customers.map((id) =>
    JSON.stringify({ customer_id: id, version: 1, salt: finboxSalt(id, server.serverHash) }),
  );
  let next = 0;
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => {
        req.body = bodiesHttp[next++ % bodiesHttp.length]!;
        return req;
      },
    },
  ];
  const credence = await startCredence({ ...env, CREDENCE_FINBOX_RATE_LIMIT: '1000000' }, values.profile);
  const target = {
    url: `${credence.url}/finbox/staging/risk/predictors`,
    headers: { 'content-type': 'application/json', 'x-api-key': server.key },
    pids: [credence.child.pid!],
  };
  const answer = (await oneAnswer(target, bodiesHttp[0]!)) as { status?: string };
  if (answer.status !== 'complete')
    throw new Error(`the predictors are not ready: ${JSON.stringify(answer)}`);
  const answerBytes = Buffer.byteLength(JSON.stringify(answer));
  const load = { method: 'POST' as const, requests, connections, duration };
  console.log(
    `bare Fastify route (the same ${answerBytes}-byte answer) and POST /finbox/staging/risk/predictors, ${connections} connections, ${duration}s each in alternating slices...`,
  );
  const { bare: bareResult, route: predictors } = await againstBareInSlices(target, {
    ...load,
    bareBody: { value: answer },
  });
  console.log('the same against the bare route with its small Cladfy-shaped answer...');
  const small = await againstBareInSlices(target, load);
  await credence.stop();
  const bareCpu = bareResult.serverCpuUsPerRequest;
  const predictorsCpu = predictors.serverCpuUsPerRequest;
  const { ratio, targets: versusBare } = againstBare(bareResult, predictors);

  const result = {
    at: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    featurization,
    parser,
    http: {
      settings: { connections, durationSeconds: duration, answerBytes },
      bare: bareResult,
      predictors,
      ratio,
      // The servers' CPU time per request (µs), and bare ÷ predictors: the ratio the two cores
      // would give if the servers had them to themselves, the load generator aside.
      serverCpuUsPerRequest: { bare: bareCpu, predictors: predictorsCpu },
      cpuRatio: cpuRatio(bareCpu, predictorsCpu),
      // Against the bare route's small answer: the route also pays for sending 4 kB.
      versusSmallAnswer: {
        bare: small.bare,
        predictors: small.route,
        ratio: againstBare(small.bare, small.route).ratio,
        serverCpuUsPerRequest: {
          bare: small.bare.serverCpuUsPerRequest,
          predictors: small.route.serverCpuUsPerRequest,
        },
      },
    },
    targets: { featurizationMsAtMost: 200, parserMessagesPerSecondAtLeast: 50_000, ratioAtLeast: 0.5 },
    met: {
      featurizationCompute: featurization.computeMsMedian <= 200,
      featurizationWithLoad: featurization.loadAndComputeMsMedian <= 200,
      parser: parser.messagesPerSecond >= 50_000,
      ratio: versusBare.met.ratio,
      all200: predictors.non2xx === 0 && small.route.non2xx === 0,
    },
  };
  const file = writeResult('device', result);
  console.log(
    JSON.stringify(
      {
        ...result,
        http: {
          ...result.http,
          bare: result.http.bare.requestsPerSecond,
          predictors: result.http.predictors,
          versusSmallAnswer: {
            bare: small.bare.requestsPerSecond,
            predictors: small.route.requestsPerSecond,
            ratio: result.http.versusSmallAnswer.ratio,
          },
        },
      },
      null,
      2,
    ),
  );
  console.log(`written to ${file}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
