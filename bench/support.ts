/** What the benchmarks share: a free port, waiting for a server, summaries and result files. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.resolve(import.meta.dirname, '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

/** Resolves once the server answers /readyz; gives up after a minute, or when `child` exits. */
export async function waitUntilReady(url: string, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 600 && (child?.exitCode ?? null) === null; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

export const summary = (r: autocannon.Result) => ({
  requestsPerSecond: Math.round(r.requests.average),
  latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
  total: r.requests.total,
});

/** Writes `bench/results/<name>-<time>.json` and `<name>-latest.json`; returns the first, relative to the root. */
export function writeResult(name: string, result: { at: string }): string {
  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${result.at.replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(result, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(dir, `${name}-latest.json`), text);
  return path.relative(ROOT, file);
}

/**
 * Writes a route-against-bare result, prints its summary (the two routes, CPU per request, the
 * ratio and whether each target was met, with `extra` among them) and fails the process when a
 * target was missed.
 */
export function reportAgainstBare(
  name: string,
  result: {
    at: string;
    bare: unknown;
    scoring: unknown;
    serverCpuUsPerRequest: unknown;
    cpuRatio: unknown;
    ratio: unknown;
    targets: { met: Record<string, boolean> };
  },
  extra: Record<string, unknown> = {},
): void {
  const file = writeResult(name, result);
  const { bare, scoring, serverCpuUsPerRequest, cpuRatio, ratio } = result;
  const shown = {
    bare,
    scoring,
    serverCpuUsPerRequest,
    cpuRatio,
    ratio,
    ...extra,
    met: result.targets.met,
  };
  console.log(JSON.stringify(shown, null, 2));
  console.log(`written to ${file}`);
  if (!Object.values(result.targets.met).every(Boolean)) process.exitCode = 1;
}

/** Starts a process that prints `{"url": ...}` when it listens (the bare server, `credence serve`). */
export function spawnAndWaitForUrl(
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

/**
 * Loads `url` for 2 s to warm the server up, then for the run measured. With `pids`, also returns
 * those servers' CPU time per request over the measured run alone (µs; null where /proc is missing).
 */
export async function loadWithWarmUp(
  url: string,
  opts: Partial<autocannon.Options> & { connections: number; duration: number },
  pids: number[] = [],
): Promise<{ result: autocannon.Result; cpuUsPerRequest: number | null }> {
  await autocannon({ url, ...opts, duration: 2 });
  return withServerCpu(pids, () => autocannon({ url, ...opts }));
}

/**
 * The bare Fastify route of bench/bare-server.ts, driven with the same requests as the route
 * measured; also returns its server's CPU time per request.
 */
export async function measureBare(
  opts: Partial<autocannon.Options> & { connections: number; duration: number },
) {
  const bare = await spawnAndWaitForUrl(
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bench/bare-server.ts'],
    {},
  );
  try {
    return await loadWithWarmUp(`${bare.url}/bare`, opts, [bare.child.pid!]);
  } finally {
    bare.child.kill('SIGTERM');
  }
}

/**
 * Runs a load against the server processes `pids` and also returns their CPU time per request
 * (µs, the processes and their children; null where /proc is missing or no process is given).
 */
export async function withServerCpu(
  pids: number[],
  load: () => Promise<autocannon.Result>,
): Promise<{ result: autocannon.Result; cpuUsPerRequest: number | null }> {
  const { result, cpuMs } = await withCpuMs(pids, load);
  const cpuUsPerRequest = cpuMs === null ? null : Math.round((cpuMs * 1000) / result.requests.total);
  return { result, cpuUsPerRequest };
}

/**
 * CPU time (user + system, ms) used so far by a process and every process under it, from /proc
 * (Linux): a measure of work that the machine's other load disturbs far less than requests/s.
 * Undefined where /proc is missing.
 */
export function treeCpuMs(pid: number): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at state (field 3).
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop()!;
    ticks += stats.get(p)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === p) queue.push(child);
  }
  return ticks / ticksPerMs;
}

/**
 * Starts `credence serve` as a process of its own on a free port, with `env` over this process's
 * environment, and waits until it is ready. With `profileDir`, the server writes a CPU profile
 * there when it exits. `stop()` ends it and waits for it to exit.
 */
export async function startCredence(env: Record<string, string>, profileDir?: string) {
  const port = await freePort();
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(ROOT, 'bin/credence.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env, CREDENCE_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, url, stop };
}

/** What a measured route did, summed over all its slices. */
export interface Measured {
  requestsPerSecond: number;
  /** Over every response of every slice (ms). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
  seconds: number;
  /** The server's CPU time (µs) per request over the slices; null without /proc. */
  serverCpuUsPerRequest: number | null;
  /**
   * The load generator's CPU time (µs, this process) per request over the slices: when it nears
   * one core's worth, the generator, not the server, sets the pace.
   */
  clientCpuUsPerRequest: number;
  /** Requests per second of each slice, in order. */
  slices: number[];
}

export interface Target {
  url: string;
  headers: Record<string, string>;
  /** The server processes whose CPU time is counted. */
  pids: number[];
}

/**
 * Measures `route` against the bare Fastify route (bench/bare-server.ts) with the same requests,
 * in alternating slices rather than one after the other: `duration` seconds each, cut into
 * `slices` parts, the order swapped every round, after a warm-up of 2 s each. A host whose speed
 * drifts (a shared machine's usually does) then weighs on both routes alike, and the ratio of
 * their requests per second is the same run's. Latency percentiles are taken over every response
 * of every slice.
 */
export async function againstBareInSlices(
  route: Target,
  opts: {
    method: 'POST' | 'GET';
    requests: autocannon.Request[];
    connections: number;
    duration: number;
    slices?: number;
    /**
     * The bare route's fixed answer (bench/bare-server.ts): a given value, or, for a request
     * body, the route's own answer to it (`oneAnswer`). By default a Cladfy-shaped one.
     */
    bareBody?: { value: unknown } | { answerTo: string };
  },
): Promise<{ bare: Measured; route: Measured; bareAnswerBytes: number | null }> {
  const b = opts.bareBody;
  const bareBody = b === undefined ? undefined : 'value' in b ? b.value : await oneAnswer(route, b.answerTo);
  const bareServer = await spawnAndWaitForUrl(
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bench/bare-server.ts'],
    bareBody === undefined ? {} : { BENCH_BARE_BODY: JSON.stringify(bareBody) },
  );
  try {
    const bare: Target = {
      url: `${bareServer.url}/bare`,
      headers: { 'content-type': 'application/json' },
      pids: [bareServer.child.pid!],
    };
    const slices = opts.slices ?? Math.max(1, Math.min(5, Math.floor(opts.duration / 2)));
    const sliceSeconds = opts.duration / slices;
    const run = (t: Target, seconds: number, latencies?: number[]) =>
      autocannon({
        url: t.url,
        method: opts.method,
        headers: t.headers,
        requests: opts.requests,
        connections: opts.connections,
        duration: seconds,
        ...(latencies
          ? {
              setupClient: (client: autocannon.Client) => {
                client.on('response', (_status: number, _bytes: number, ms: number) => latencies.push(ms));
              },
            }
          : {}),
      });
    await run(bare, 2);
    await run(route, 2);
    const tallies = [bare, route].map(() => ({
      results: [] as autocannon.Result[],
      latencies: [] as number[],
      cpuMs: 0 as number | null,
      clientUs: 0,
    }));
    for (let i = 0; i < slices; i++) {
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) {
        const t = k === 0 ? bare : route;
        const tally = tallies[k]!;
        const client0 = process.cpuUsage();
        const { result, cpuMs } = await withCpuMs(t.pids, () => run(t, sliceSeconds, tally.latencies));
        const client = process.cpuUsage(client0);
        tally.clientUs += client.user + client.system;
        tally.results.push(result);
        tally.cpuMs = tally.cpuMs === null || cpuMs === null ? null : tally.cpuMs + cpuMs;
      }
    }
    const [bareMeasured, routeMeasured] = tallies.map((t) =>
      measured(t.results, t.latencies, t.cpuMs, t.clientUs),
    );
    return {
      bare: bareMeasured!,
      route: routeMeasured!,
      bareAnswerBytes: bareBody === undefined ? null : Buffer.byteLength(JSON.stringify(bareBody)),
    };
  } finally {
    bareServer.child.kill('SIGTERM');
  }
}

/**
 * One answer of the measured route to `body` (its parsed JSON), for the bare route to send as its
 * fixed body: both routes then answer with the same bytes. Throws unless the route answers 200.
 */
export async function oneAnswer(route: Target, body: string): Promise<unknown> {
  const res = await fetch(route.url, { method: 'POST', headers: route.headers, body });
  const answer: unknown = await res.json();
  if (res.status !== 200) throw new Error(`${route.url} answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Runs a load and returns the CPU time (ms) the processes `pids` spent on it; null without /proc or pids. */
async function withCpuMs(
  pids: number[],
  load: () => Promise<autocannon.Result>,
): Promise<{ result: autocannon.Result; cpuMs: number | null }> {
  const cpu = () => {
    if (pids.length === 0) return null;
    let ms = 0;
    for (const p of pids) {
      const one = treeCpuMs(p);
      if (one === undefined) return null;
      ms += one;
    }
    return ms;
  };
  const cpu0 = cpu();
  const result = await load();
  const cpu1 = cpu();
  return { result, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

/**
 * Percentiles of response times, in ms to the hundredth. autocannon's own histogram keeps whole
 * milliseconds (a p99 of 10 there is anything below 11), so targets are judged on these.
 */
export function latencyPercentiles(latencies: number[]): {
  p50: number;
  p90: number;
  p99: number;
  max: number;
} {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const ms = (v: number) => Math.round(v * 100) / 100;
  return { p50: ms(at(0.5)), p90: ms(at(0.9)), p99: ms(at(0.99)), max: ms(sorted.at(-1) ?? 0) };
}

function measured(
  results: autocannon.Result[],
  latencies: number[],
  cpuMs: number | null,
  clientUs: number,
): Measured {
  const sum = (f: (r: autocannon.Result) => number) => results.reduce((n, r) => n + f(r), 0);
  const total = sum((r) => r.requests.total);
  const seconds = sum((r) => r.duration);
  return {
    requestsPerSecond: Math.round(total / seconds),
    latencyMs: latencyPercentiles(latencies),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    total,
    seconds: Math.round(seconds * 10) / 10,
    serverCpuUsPerRequest: cpuMs === null || total === 0 ? null : Math.round((cpuMs * 1000) / total),
    clientCpuUsPerRequest: total === 0 ? 0 : Math.round(clientUs / total),
    slices: results.map((r) => Math.round(r.requests.total / r.duration)),
  };
}

/**
 * The targets of the HTTP benchmarks measured against the bare route: at least half its
 * requests/s, p99 at most 10 ms, and no failed request.
 */
export function againstBare(bare: Measured, route: Measured) {
  const ratio = route.requestsPerSecond / bare.requestsPerSecond;
  return {
    ratio: Math.round(ratio * 1000) / 1000,
    targets: {
      ratioAtLeast: 0.5,
      p99AtMostMs: 10,
      met: {
        ratio: ratio >= 0.5,
        p99: route.latencyMs.p99 <= 10,
        noErrors: route.non2xx === 0 && route.errors === 0 && route.timeouts === 0,
      },
    },
  };
}

/**
 * The bare route's server CPU per request over the measured route's: the ratio of requests/s the
 * two would reach if their servers had the cores to themselves, the load generator aside.
 */
export const cpuRatio = (bare: number | null, route: number | null): number | null =>
  bare && route ? Math.round((bare / route) * 1000) / 1000 : null;
