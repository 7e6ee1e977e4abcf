import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts one of the database threads (`name` is its module in this folder, without extension).
 * From TypeScript sources it loads the module through tsx, as the CLI does.
 */
export function spawnDbThread(name: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(tsxEsmApi(here)).href;
    const entry = new URL(`./${name}.ts`, here).href;
    const boot = `import(${JSON.stringify(tsx)}).then((t) => { (t.register ?? t.default.register)(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.js`, here), { workerData });
}

/** tsx's ESM API entry, read from its package exports (its CommonJS entry cannot be imported). */
function tsxEsmApi(from: string): string {
  const pkgFile = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default);
}
