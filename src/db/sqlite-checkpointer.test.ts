import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { BACKSTOP_FRAMES, chase, MAX_ROUNDS, SqliteCheckpointer } from './sqlite-checkpointer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-checkpointer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (name: string, checkpointThread: boolean) =>
  openDatabase(
    { engine: 'sqlite', url: `sqlite:${name}`, sqlitePath: path.join(dir, name) },
    { checkpointThread },
  );

/** 2 MB in 50 commits of ten 4 KB rows: more than 500 pages, far below the connection's backstop. */
function write2Mb(h: DatabaseHandle): void {
  const insert = h.sqlite!.prepare('insert into t (v) values (?)');
  const commit = h.sqlite!.transaction(() => {
    for (let i = 0; i < 10; i++) insert.run(Buffer.alloc(4000, i));
  });
  for (let i = 0; i < 50; i++) commit();
}

const size = (file: string) => fs.statSync(file).size;

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('checkpoints from a thread of their own', () => {
  it('copies committed pages into the database file, and the WAL then starts over', async () => {
    const h = open('threaded.db', true);
    const file = h.sqliteFile!;
    try {
      expect(h.checkpointThread).toBe(true);
      // The connection that commits checkpoints only as a backstop.
      expect(h.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_FRAMES);
      h.sqlite!.exec('create table t (id integer primary key, v blob)');

      write2Mb(h);
      const wal = size(`${file}-wal`);
      expect(wal).toBeGreaterThan(2_000_000);
      // Nothing on this thread checkpointed: the pages reach the database file from the other one.
      await until('the pages are in the database file', () => size(file) > 2_000_000);
      await new Promise((r) => setTimeout(r, 200));

      // Every page was copied, so the next commits write the WAL from its beginning again.
      write2Mb(h);
      expect(size(`${file}-wal`)).toBeLessThan(wal * 1.2);
      expect(h.sqlite!.prepare('select count(*) as n from t').get()).toEqual({ n: 1000 });
    } finally {
      await h.close();
    }
  });

  it('leaves the WAL to grow without the thread, up to the backstop (the control)', async () => {
    const h = open('control.db', false);
    const file = h.sqliteFile!;
    try {
      expect(h.checkpointThread).toBe(false);
      expect(h.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      h.sqlite!.pragma(`wal_autocheckpoint = ${BACKSTOP_FRAMES}`);
      h.sqlite!.exec('create table t (id integer primary key, v blob)');
      write2Mb(h);
      const wal = size(`${file}-wal`);
      await new Promise((r) => setTimeout(r, 200));
      write2Mb(h);
      expect(size(`${file}-wal`)).toBeGreaterThan(wal * 1.8);
      expect(size(file)).toBeLessThan(100_000);
    } finally {
      await h.close();
    }
  });

  it('stops after a last checkpoint and says what it did', async () => {
    const h = open('closing.db', false);
    h.sqlite!.exec('create table t (id integer primary key, v blob)');
    write2Mb(h);
    const checkpointer = new SqliteCheckpointer(h.sqliteFile!, { intervalMs: 60_000 });
    const stats = await checkpointer.close();
    expect(stats).toEqual({ checkpoints: 1, errors: 0 });
    expect(size(h.sqliteFile!)).toBeGreaterThan(2_000_000);
    expect(await checkpointer.close()).toBe(stats);
    await h.close();
  });
});

describe('catching up with the commits', () => {
  const run = (logs: number[]) => {
    let state = { log: 0, rounds: 0 };
    return logs.map((log) => {
      state = chase(state, log);
      return state.rounds > 0;
    });
  };

  it('goes again at once while each checkpoint finds new pages, and waits once one finds none', () => {
    // 600 frames after a pause; commits during each round add 40, then 12; the next finds none.
    expect(run([600, 640, 652, 652])).toEqual([true, true, true, false]);
  });

  it('waits when the WAL is empty or has started over and is still empty', () => {
    expect(run([0, 0])).toEqual([false, false]);
  });

  it('gives up after MAX_ROUNDS rounds in a row, and starts counting again after a pause', () => {
    const logs = Array.from({ length: MAX_ROUNDS + 2 }, (_, i) => 100 + i);
    const again = run(logs);
    expect(again.slice(0, MAX_ROUNDS)).toEqual(Array(MAX_ROUNDS).fill(true));
    expect(again[MAX_ROUNDS]).toBe(false);
    expect(again[MAX_ROUNDS + 1]).toBe(true);
  });
});
