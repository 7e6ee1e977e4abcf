import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/databases.js';
import { createContext } from '../context.js';
import { ownerOnly, sqliteFiles } from './file-modes.js';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('ownerOnly', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-modes-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("takes group's and others' permissions off, leaves owner-only files and missing ones alone", () => {
    const open = path.join(dir, 'open');
    const shared = path.join(dir, 'shared');
    const closed = path.join(dir, 'closed');
    fs.writeFileSync(open, 'x', { mode: 0o666 });
    fs.chmodSync(open, 0o666);
    fs.writeFileSync(shared, 'x');
    fs.chmodSync(shared, 0o640);
    fs.writeFileSync(closed, 'x', { mode: 0o600 });
    const result = ownerOnly([open, shared, closed, path.join(dir, 'missing')]);
    expect(result).toEqual({ tightened: [open, shared], refused: [] });
    expect(modeOf(open)).toBe(0o600);
    expect(modeOf(shared)).toBe(0o600);
    expect(modeOf(closed)).toBe(0o600);
  });
});

describe.skipIf(process.platform === 'win32')('a database an older version left open to other users', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterEach(async () => db.drop());

  it('is made owner-only at start, and the log says which files changed', async () => {
    const file = db.config.database.sqlitePath!;
    // As an older version made it: SQLite creates the file with the process's umask (644 here).
    const raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table before_us (x)');
    raw.close();
    fs.chmodSync(file, 0o644);
    const lines: { msg: string; files?: string[] }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const ctx = await createContext(db.config, { logger });
    try {
      for (const f of sqliteFiles(file).filter((f) => fs.existsSync(f))) expect(modeOf(f), f).toBe(0o600);
      const warning = lines.find((l) => l.msg.includes('readable by their owner only'));
      expect(warning?.files).toContain(file);
      // Already owner-only at the next start: nothing to say.
      lines.length = 0;
    } finally {
      await ctx.close();
    }
    const again = await createContext(db.config, { logger });
    await again.close();
    expect(lines.some((l) => l.msg.includes('readable by their owner only'))).toBe(false);
  });
});
