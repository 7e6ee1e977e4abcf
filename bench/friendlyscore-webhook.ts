/**
 * `npm run bench:webhooks`: from FriendlyScore's calculate_score to the webhook delivered, on the
 * real server (a child process, SQLite, request logs off) with a local receiver. Requests arrive
 * at a fixed rate (open loop: a slow answer does not slow the arrivals), each for a new user and
 * with a webhook; the latency of a request is from sending it to its webhook arriving.
 * Target: p99 at most 1 s at 50 requests/s for 60 s. JSON goes to bench/results/.
 * Options: --rate <per second> (default 50), --duration <s> (default 60), --profile <dir> (CPU profile of the server).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONNECTOR_SERVICES, loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { startFakeNetworks } from '../test/helpers/fake-networks.js';
import { startCredence, writeResult } from './support.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    /** Write a CPU profile of the server into this folder. */
    profile: { type: 'string' },
  },
});
const rate = Number(values.rate);
const duration = Number(values.duration);

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-webhook-bench-'));
  const networks = await startFakeNetworks();
  const env = {
    CREDENCE_DATABASE_URL: `sqlite:${path.join(dataDir, 'credence.db')}`,
    CREDENCE_LOG_LEVEL: 'warn',
    CREDENCE_WEBHOOK_ALLOW_PRIVATE: 'true',
    // The Facebook and LinkedIn tokens of each request are read from a local stand-in of the
    // networks' APIs: the benchmark measures Credence, not the internet or this host's resolver.
    ...Object.fromEntries(
      CONNECTOR_SERVICES.map((n) => [`CREDENCE_CONNECTOR_${n.toUpperCase()}_URL`, `${networks.url}/${n}`]),
    ),
  };
  const ctx = await createContext(loadConfig(env, dataDir));
  await ctx.tenants.create('bench');
  const client = await ctx.oauthClients.create({ tenant: 'bench', grants: ['client_credentials'] });
  await ctx.close();

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  /** [seconds since the start of the load, latency] of every webhook, to see how latency moves. */
  const timeline: [number, number][] = [];
  let loadStart = 0;
  const seen = new Set<string>();
  let duplicates = 0;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const at = performance.now();
      res.end('ok');
      const id = (JSON.parse(body) as { data: { partner_user_id: string } }).data.partner_user_id;
      if (seen.has(id)) {
        duplicates++;
        return;
      }
      seen.add(id);
      const sent = sentAt.get(id);
      if (sent !== undefined) {
        latencies.push(at - sent);
        timeline.push([(sent - loadStart) / 1000, at - sent]);
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const server = await startCredence(env, values.profile);
  const base = server.url;
  const tokenRes = await fetch(`${base}/friendlyscore/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const send = (id: string) =>
    new Promise<number>((resolve) => {
      const body = JSON.stringify({
        access_tokens: { facebook: 'EAAB-bench', linkedin: 'AQX-bench' },
        user_ip: '41.90.64.10',
        user_agent: { os: 'Android 13', browser: 'Chrome 120', mobile: true },
        webhook: hook,
      });
      sentAt.set(id, performance.now());
      const req = http.request(
        `${base}/friendlyscore/api/v2/users/partner-id/${id}/calculate_score.json`,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });

  console.log(`calculate_score with a webhook, ${rate}/s for ${duration}s...`);
  const total = rate * duration;
  const statuses: Promise<number>[] = [];
  const start = performance.now();
  loadStart = start;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    statuses.push(send(`bench-${i}`));
  }
  const codes = await Promise.all(statuses);
  const until = performance.now() + 30_000;
  while (seen.size < total && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  await server.stop();
  await networks.stop();
  receiver.close();
  agent.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (v: number | null) => (v === null ? null : Math.round(v));
  const p99 = percentile(sorted, 99);
  const windows = Array.from({ length: Math.ceil(duration / 10) }, (_, w) => {
    const inWindow = timeline
      .filter(([t]) => t >= w * 10 && t < (w + 1) * 10)
      .map(([, l]) => l)
      .sort((a, b) => a - b);
    return { fromSecond: w * 10, p50: ms(percentile(inWindow, 50)), p99: ms(percentile(inWindow, 99)) };
  });
  const result = {
    benchmark: 'friendlyscore-webhook',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: { ratePerSecond: rate, durationSeconds: duration, database: 'sqlite (WAL, synchronous=FULL)' },
    requests: total,
    acknowledged: codes.filter((c) => c === 200).length,
    webhooksReceived: seen.size,
    duplicates,
    latencyMs: {
      p50: ms(percentile(sorted, 50)),
      p90: ms(percentile(sorted, 90)),
      p99: ms(p99),
      max: ms(sorted[sorted.length - 1] ?? null),
    },
    latencyByWindow: windows,
    targets: {
      p99AtMostMs: 1000,
      met: {
        p99: p99 !== null && p99 <= 1000,
        everyWebhook: seen.size === total,
        allAcknowledged: codes.every((c) => c === 200),
      },
    },
  };
  const file = writeResult('friendlyscore-webhook', result);
  console.log(JSON.stringify(result, null, 2));
  console.log(`written to ${file}`);
  if (!Object.values(result.targets.met).every(Boolean)) process.exitCode = 1;
}

await main();
