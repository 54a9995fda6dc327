import fs from 'node:fs';
import { LazyWorkerPool } from '../lazy-worker-pool.js';

/**
 * Checkpoints SQLite files on a worker thread before their handles close. Closing the last
 * connection of a file in WAL mode copies its log into the database and fsyncs both, on the
 * calling thread: after a write that blocks the event loop for a millisecond or more (many
 * when the disk is busy), while a close with nothing left in the log costs about a tenth of one.
 */
export class WalCheckpointer {
  private readonly pool = new LazyWorkerPool<string, void>(import.meta.filename, 'wal-checkpoint', {
    minThreads: 0,
    // One thread: a checkpoint mostly waits for the disk, and one at a time keeps its fsyncs
    // from competing with each other.
    maxThreads: 1,
    // A waiting checkpoint keeps its handle's files open; past this many (a stalled disk) the
    // close checkpoints on the calling thread, as it would without us, which bounds them.
    maxQueue: 64,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  });

  /**
   * Empties `file`'s log into the database when it holds frames; call it while still holding a
   * connection, then close that. Never throws: a failed checkpoint leaves the work to the close.
   */
  async beforeClose(file: string): Promise<void> {
    if (!walHasFrames(file)) return;
    try {
      await this.pool.run(file);
    } catch {
      // The close that follows checkpoints on this thread, as it would have without us.
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

// A log with no frames needs no checkpoint (the file is missing, or empty after the last reset).
function walHasFrames(file: string): boolean {
  return (fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
}
