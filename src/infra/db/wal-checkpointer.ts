import fs from 'node:fs';
import path from 'node:path';
import type { Piscina } from 'piscina';
import { workerExecArgv } from '../worker-exec-argv.js';

/**
 * Checkpoints SQLite files on a worker thread before their handles close. Closing the last
 * connection of a file in WAL mode copies its log into the database and fsyncs both, on the
 * calling thread: after a write that blocks the event loop for milliseconds (most of a cache
 * miss), while a close with nothing left in the log costs a tenth of a millisecond. The pool
 * (piscina) loads on first use; its one thread exits when idle.
 */
export class WalCheckpointer {
  private pool: Promise<Piscina> | undefined;

  /**
   * Empties `file`'s log into the database when it holds frames; call it while still holding a
   * connection, then close that. Never throws: a failed checkpoint leaves the work to the close.
   */
  async beforeClose(file: string): Promise<void> {
    if (!walHasFrames(file)) return;
    this.pool ??= this.start();
    try {
      await (await this.pool).run(file);
    } catch {
      // The close that follows checkpoints on this thread, as it would have without us.
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }

  private async start(): Promise<Piscina> {
    const { Piscina } = await import('piscina');
    const here = import.meta.filename;
    const filename = path.join(path.dirname(here), `wal-checkpoint.worker${path.extname(here)}`);
    return new Piscina({
      filename,
      minThreads: 0,
      // One thread: a checkpoint mostly waits for the disk, and one at a time keeps its fsyncs
      // from competing with each other.
      maxThreads: 1,
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      execArgv: workerExecArgv(filename),
    });
  }
}

// A log with no frames needs no checkpoint (the file is missing, or empty after the last reset).
function walHasFrames(file: string): boolean {
  return (fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
}
