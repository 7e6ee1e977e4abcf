/**
 * `npm run bench:camara`: CAMARA Customer Insights scoring with a 2-legged token.
 *
 * Loads --subscribers subscribers (default 100,000) into a fresh SQLite database, then drives
 * `POST /customer-insights/v0.3rc1/scoring/retrieve` with autocannon against a real server
 * process: x-correlator and Accept checks, JWT verification (no database round trip: cached keys,
 * client state cached for a second), the per-client rate limit (set high enough not to refuse),
 * body validation, the subscriber lookup by blind index, the telco_score scorecard and the durable
 * history write. In the same run, a bare Fastify route returning fixed JSON gets the same
 * requests. Targets: >= 50% of the bare route's requests/s, p99 <= 10 ms.
 * Results are written as JSON to bench/results/.
 *
 * Options: --subscribers <n> (default 100000), --duration <s> (10), --connections <n> (50),
 * --profile <dir> (CPU profile of the server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import type { SubscriberInput } from '../src/domain/telco/subscriber.js';
import { againstBare, againstBareInSlices, cpuRatio, reportAgainstBare, startCredence } from './support.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    profile: { type: 'string' },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const duration = Number(values.duration);
const connections = Number(values.connections);

/** Kenyan mobile numbers +2547NNNNNNNN, valid for libphonenumber. */
const phone = (n: number) => `+2547${String(10_000_000 + n).slice(-8)}`;

function subscriber(n: number): SubscriberInput {
  const postpaid = n % 3 === 0;
  return {
    phone_number: phone(n),
    id_document: `ID${String(n).padStart(8, '0')}`,
    subscription_type: postpaid ? 'postpaid' : 'prepaid',
    activation_date: `20${String(10 + (n % 15)).padStart(2, '0')}-0${1 + (n % 9)}-15`,
    features: postpaid
      ? { arpu: 10 + (n % 50), bill_payment_delay_days: n % 20, late_bills_12m: n % 5, sim_swaps_12m: n % 3 }
      : {
          arpu: 2 + (n % 20),
          topup_amount_avg: 1 + (n % 15),
          topup_regularity: (n % 11) / 10,
          device_changes_12m: n % 4,
        },
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-bench-camara-'));
  const configFile = path.join(dataDir, 'camara.json');
  // The limiter still runs on every request; it is set high so that it does not refuse any.
  fs.writeFileSync(configFile, JSON.stringify({ rateLimitPerSecond: 1_000_000 }));
  const env = {
    CREDENCE_DATABASE_URL: `sqlite:${path.join(dataDir, 'credence.db')}`,
    CREDENCE_LOG_LEVEL: 'warn',
    CREDENCE_CAMARA_CONFIG: configFile,
    CREDENCE_PUBLIC_URL: 'http://credence.bench',
  };
  const config = loadConfig(env, dataDir);
  const ctx = await createContext(config);
  const tenant = await ctx.tenants.create('operator');
  console.log(`loading ${SUBSCRIBERS.toLocaleString()} subscribers...`);
  const started = Date.now();
  for (let i = 0; i < SUBSCRIBERS; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, SUBSCRIBERS - i) }, (_, k) => subscriber(i + k));
    await ctx.telco.subscribers.load(tenant.id, batch, { actor: 'bench', where: (k) => `row ${i + k}` });
  }
  const loadSeconds = (Date.now() - started) / 1000;
  const client = await ctx.oauthClients.create({
    tenant: 'operator',
    grants: ['client_credentials'],
    scopes: ['customer-insights:scoring:read'],
  });
  const token = await ctx.oidcTokens.issue(client, { audience: config.publicUrl, ttlSeconds: 3600 });
  await ctx.close();

  const bodies = Array.from({ length: 5000 }, (_, n) =>
    JSON.stringify({
      phoneNumber: phone((n * 7919) % SUBSCRIBERS),
      scoringType: n % 2 === 0 ? 'gaugeMetric' : 'veritasIndex',
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
  // Request logs off while measuring, as for the bare route: the comparison is of the work done.
  const server = await startCredence(env, values.profile);
  console.log(
    `bare Fastify route and POST /customer-insights/v0.3rc1/scoring/retrieve, ${connections} connections, ${duration}s each in alternating slices...`,
  );
  // The bare route answers with a copy of the route's answer to the first request: the same bytes.
  const {
    bare,
    route: scoring,
    bareAnswerBytes,
  } = await againstBareInSlices(
    {
      url: `${server.url}/customer-insights/v0.3rc1/scoring/retrieve`,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token.accessToken}`,
        'x-correlator': 'bench-0b6f1c7e',
      },
      pids: [server.child.pid!],
    },
    { method: 'POST', requests, connections, duration, bareBody: { answerTo: bodies[0]! } },
  );
  await server.stop();

  const verdict = againstBare(bare, scoring);
  const result = {
    benchmark: 'camara',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: {
      connections,
      durationSeconds: duration,
      bareAnswerBytes,
      subscribers: SUBSCRIBERS,
      database: 'sqlite (WAL, synchronous=FULL)',
      token: '2-legged (client credentials)',
    },
    subscriberLoad: { seconds: loadSeconds, perSecond: Math.round(SUBSCRIBERS / loadSeconds) },
    bare,
    scoring,
    serverCpuUsPerRequest: { bare: bare.serverCpuUsPerRequest, scoring: scoring.serverCpuUsPerRequest },
    cpuRatio: cpuRatio(bare.serverCpuUsPerRequest, scoring.serverCpuUsPerRequest),
    ...verdict,
  };
  fs.rmSync(dataDir, { recursive: true, force: true });
  reportAgainstBare('camara', result);
}

await main();
