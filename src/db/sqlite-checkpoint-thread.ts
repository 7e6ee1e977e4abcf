/**
 * The checkpoint thread (see sqlite-checkpointer.ts). It copies the WAL's committed pages back
 * into the database file with passive checkpoints, which never block a writer or a reader, and
 * chases the commits that arrive meanwhile (`chase`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  type CheckpointerData,
  type CheckpointReply,
  type CheckpointRequest,
  type CheckpointStats,
  chase,
} from './sqlite-checkpointer.js';
import { openSqlite } from './sqlite-connection.js';

interface CheckpointResult {
  busy: number;
  /** Frames in the WAL when the checkpoint began. */
  log: number;
  /** Of those, frames now copied into the database file. */
  checkpointed: number;
}

const { file, intervalMs } = workerData as CheckpointerData;
const sqlite = openSqlite(file, { walAutoCheckpoint: 0 });
const passive = sqlite.prepare('pragma wal_checkpoint(PASSIVE)');
const port = parentPort!;
const send = (m: CheckpointReply) => port.postMessage(m);
const stats: CheckpointStats = { checkpoints: 0, errors: 0 };
let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
let closing = false;
let state = { log: 0, rounds: 0 };

function checkpoint(): void {
  timer = null;
  if (closing) return;
  let r: CheckpointResult;
  try {
    // Never a blocking mode (FULL, RESTART): while one waits for a long reader (an online backup,
    // say), no commit can begin.
    r = passive.get() as CheckpointResult;
    stats.checkpoints++;
  } catch (err) {
    // Busy or failing: the committing connections' own checkpoints remain the backstop.
    if (stats.errors++ === 0) send({ type: 'error', message: (err as Error).message });
    timer = setTimeout(checkpoint, intervalMs);
    return;
  }
  state = chase(state, r.log);
  timer = state.rounds > 0 ? setImmediate(checkpoint) : setTimeout(checkpoint, intervalMs);
}

port.on('message', (m: CheckpointRequest) => {
  if (m.type !== 'close') return;
  closing = true;
  if (timer) {
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
  }
  try {
    // A last checkpoint: the next start finds a short WAL.
    passive.get();
    stats.checkpoints++;
  } catch {
    stats.errors++;
  }
  sqlite.close();
  send({ type: 'closed', stats });
  port.close();
});

timer = setTimeout(checkpoint, intervalMs);
