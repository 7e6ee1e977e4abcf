/**
 * The SQLite writer thread. It owns a connection to the database file: runs posted by the event
 * loop are group-committed here, everything delivered in one turn of this thread's loop in one
 * transaction, so the event loop never waits for a commit. better-sqlite3 commits synchronously,
 * so the whole path is synchronous: no promise per run, and one answer per batch. Its messages are
 * defined in threaded-history.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PiiCipher } from '../security/pii-cipher.js';
import { type Attempt, commitPolicy, settle } from './commit-policy.js';
import { SqliteBatchCommitter } from './sqlite-batch.js';
import { openSqlite } from './sqlite-connection.js';
import { SubjectCache } from './subject-cache.js';
import {
  type PackedRun,
  type ThreadReply,
  type ThreadRequest,
  unpackRun,
  type WriterData,
} from './threaded-history.js';

/** Most runs in one transaction. */
const MAX_BATCH = 500;

const { file, keys, connection } = workerData as WriterData;
const sqlite = openSqlite(file, connection);
const committer = new SqliteBatchCommitter(sqlite, new PiiCipher(keys.map((k) => Buffer.from(k))));
const subjects = new SubjectCache();
const stats = { commits: 0, runs: 0 };
const port = parentPort!;
const send = (m: ThreadReply) => port.postMessage(m);

let queue: PackedRun[] = [];
let scheduled = false;

function transact(a: Attempt): string[] {
  const ids = subjects.committed(committer.commit(a.runs, subjects.reader(a.useCache)));
  stats.commits++;
  stats.runs += a.runs.length;
  return ids;
}

/** Commits everything queued, at most MAX_BATCH runs a transaction, and answers each batch. */
function commitQueued(): void {
  scheduled = false;
  while (queue.length > 0) {
    const items = queue.length <= MAX_BATCH ? queue : queue.slice(0, MAX_BATCH);
    queue = items === queue ? [] : queue.slice(MAX_BATCH);
    const settled = settle(
      commitPolicy(items.map(unpackRun), (run) => subjects.forgetRun(run)),
      transact,
    );
    const ids: string[] = new Array(settled.length);
    const errors: [index: number, message: string, code: string | undefined][] = [];
    for (let i = 0; i < settled.length; i++) {
      const s = settled[i]!;
      if (s.ok) ids[i] = s.subjectId;
      else {
        ids[i] = '';
        const code = (s.error as { code?: unknown } | undefined)?.code;
        errors.push([
          i,
          s.error instanceof Error ? s.error.message : String(s.error),
          typeof code === 'string' ? code : undefined,
        ]);
      }
    }
    send({ type: 'settled', first: items[0]![0], ids, errors, stats: { ...stats } });
  }
}

port.on('message', (m: ThreadRequest) => {
  switch (m.type) {
    case 'write':
      for (const item of m.items) queue.push(item);
      // Whatever else arrives in this turn of the loop joins the same transaction.
      if (!scheduled) {
        scheduled = true;
        setImmediate(commitQueued);
      }
      break;
    case 'forget':
      subjects.forget(m.tenantId, m.partnerId);
      break;
    case 'drain':
      commitQueued();
      send({ type: 'drained', id: m.id });
      break;
    case 'close':
      commitQueued();
      sqlite.close();
      port.close();
      break;
  }
});
send({ type: 'ready' });
