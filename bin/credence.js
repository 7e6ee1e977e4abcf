#!/usr/bin/env node
// Runs the compiled CLI in an installed package; in a source checkout, runs the TypeScript
// sources through tsx so that there is no build step to forget.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (existsSync(`${root}src/cli/main.ts`)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/cli/main.js');
}
