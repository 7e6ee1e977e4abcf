import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

describe('migrations on one SQLite file, from two connections at once', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-migrate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies each migration once, as a server and a CLI started together do', async () => {
    const file = path.join(dir, 'credence.db');
    const config = { engine: 'sqlite' as const, url: `sqlite:${file}`, sqlitePath: file };
    const handles = [openDatabase(config), openDatabase(config), openDatabase(config)];
    try {
      const applied = await Promise.all(handles.map((h) => migrateToLatest(h)));
      // Every migration was applied by exactly one of them.
      expect(applied.flat().sort()).toEqual(Object.keys(migrations).sort());
      const tables = await handles[0]!.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toContain('tenants');
    } finally {
      for (const h of handles) await h.close();
    }
  });
});
