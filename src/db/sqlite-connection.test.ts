import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, WAL_SIZE_LIMIT } from './sqlite-connection.js';

describe('openSqlite', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-sqlite-'));
    file = path.join(dir, 'credence.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A table whose index an ANALYZE has sampled, written by a connection of its own. */
  function analyzedFile(): void {
    const raw = new SQLite(file);
    raw.exec('create table people (id integer primary key, phone_hash text not null)');
    raw.exec('create index people_phone_idx on people (phone_hash)');
    const insert = raw.prepare('insert into people (phone_hash) values (?)');
    raw.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`h${i % 500}`);
    })();
    raw.exec('analyze');
    expect(raw.prepare('select count(*) as n from sqlite_stat4').get()).not.toEqual({ n: 0 });
    raw.close();
  }

  it('removes the sample statistics an ANALYZE left, keeps the others and the plans', () => {
    analyzedFile();
    const sqlite = openSqlite(file);
    try {
      expect(sqlite.prepare('select count(*) as n from sqlite_stat4').get()).toEqual({ n: 0 });
      expect(sqlite.prepare(`select stat from sqlite_stat1 where idx = 'people_phone_idx'`).get()).toEqual({
        stat: '2000 4',
      });
      const plan = sqlite
        .prepare('explain query plan select id from people where phone_hash = ?')
        .all('h1') as { detail: string }[];
      expect(plan.map((r) => r.detail)).toEqual([
        'SEARCH people USING COVERING INDEX people_phone_idx (phone_hash=?)',
      ]);
    } finally {
      sqlite.close();
    }
  });

  it('leaves a database that was never analysed without statistics tables', () => {
    const sqlite = openSqlite(file);
    try {
      sqlite.exec('create table t (x integer)');
      const tables = sqlite.prepare(`select name from sqlite_schema where name like 'sqlite_stat%'`).all();
      expect(tables).toEqual([]);
    } finally {
      sqlite.close();
    }
  });

  it('opens the file in WAL mode with full synchronous commits', () => {
    const sqlite = openSqlite(file);
    try {
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      sqlite.close();
    }
  });

  it('makes its folder for its owner alone, and leaves nothing of a deleted row in the file', () => {
    const nested = path.join(dir, 'data', 'credence.db');
    const sqlite = openSqlite(nested);
    try {
      expect(fs.statSync(path.dirname(nested)).mode & 0o777).toBe(0o700);
      // The file, and the WAL SQLite makes beside it, are the owner's alone.
      expect(fs.statSync(nested).mode & 0o777).toBe(0o600);
      expect(fs.statSync(`${nested}-wal`).mode & 0o777).toBe(0o600);
      expect(sqlite.pragma('secure_delete', { simple: true })).toBe(1);
      sqlite.exec('create table people (id integer primary key, note text)');
      sqlite.prepare('insert into people (note) values (?)').run('Zebedee Quixotewanjiru');
      sqlite.exec('pragma wal_checkpoint(TRUNCATE); delete from people; pragma wal_checkpoint(TRUNCATE)');
    } finally {
      sqlite.close();
    }
    expect(fs.readFileSync(nested).includes('Quixotewanjiru')).toBe(false);
  });

  it('cuts a WAL that a long read let grow back to its limit once it is reused', () => {
    const writer = openSqlite(file, { walAutoCheckpoint: 0 });
    const reader = openSqlite(file);
    writer.exec('create table blobs (id integer primary key, data blob not null)');
    const insert = writer.prepare('insert into blobs (data) values (?)');
    // A long read (an online backup): no checkpoint can bring the WAL back to its start meanwhile.
    reader.exec('begin');
    reader.prepare('select count(*) from blobs').get();
    const chunk = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < 40; i++) insert.run(chunk);
    const wal = () => fs.statSync(`${file}-wal`).size;
    expect(wal()).toBeGreaterThan(2 * WAL_SIZE_LIMIT);
    reader.exec('commit');
    writer.pragma('wal_checkpoint(PASSIVE)');
    // The next write starts the WAL again from its start, and cuts what lies past the limit.
    writer.prepare('delete from blobs where id = 1').run();
    expect(wal()).toBeLessThanOrEqual(WAL_SIZE_LIMIT);
    reader.close();
    writer.close();
  });
});
