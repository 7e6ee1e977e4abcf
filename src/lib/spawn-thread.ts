import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from the module `name` (without extension) in the folder of the module
 * whose `import.meta.url` is `from`. From TypeScript sources it loads the module through tsx, as
 * the CLI does.
 */
export function spawnThread(
  from: string,
  name: string,
  workerData: unknown,
  options: Pick<WorkerOptions, 'resourceLimits' | 'transferList'> = {},
): Worker {
  if (from.endsWith('.ts')) {
    const tsx = pathToFileURL(tsxEsmApi(from)).href;
    const entry = new URL(`./${name}.ts`, from).href;
    const boot = `import(${JSON.stringify(tsx)}).then((t) => { (t.register ?? t.default.register)(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, workerData, ...options });
  }
  return new Worker(new URL(`./${name}.js`, from), { workerData, ...options });
}

/** tsx's ESM API entry, read from its package exports (its CommonJS entry cannot be imported). */
function tsxEsmApi(from: string): string {
  const pkgFile = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default);
}
