/** Runs the real `credence` executable, as an operator would. */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { LooseJson } from '../fixtures/test-scorecard.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/credence.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  json: () => LooseJson;
}

export function runCli(args: string[], env: Record<string, string>): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `credence serve` (with `args`) on a free port and resolves once it listens. */
export function startServer(env: Record<string, string>, args: string[] = []): Promise<RunningServer> {
  return startProcess(['serve', ...args], env, /"url":"(http:\/\/[^"]+)"/);
}

/**
 * Starts `credence worker` and resolves once its workers run. `url` is where it serves /metrics,
 * /healthz and /readyz when `env` gives it CREDENCE_WORKER_PORT, and empty otherwise.
 */
export function startWorker(env: Record<string, string>): Promise<RunningServer> {
  return startProcess(
    ['worker'],
    env,
    /"url":"(http:\/\/[^"]+)","msg":"Credence worker started"|"msg":"Credence worker started"/,
  );
}

function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<RunningServer> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, CREDENCE_LOG_LEVEL: 'info', CREDENCE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({
          url: m[1] ?? '',
          child,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}
