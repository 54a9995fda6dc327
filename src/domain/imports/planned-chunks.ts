import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The plans of a checked file's chunks, kept until the check has passed and they are written.
 * Each is JSON compressed with fast deflate: a plan is mostly repeated keys and column names, so
 * a 50,000-person file's plans take megabytes, not the hundreds a heap of objects would.
 */
export class PlannedChunks<W> {
  private chunks: Array<{ data: Buffer; rowsDone: number } | undefined> = [];

  add(writes: W, rowsDone: number): void {
    this.chunks.push({ data: deflateRawSync(JSON.stringify(writes), { level: 1 }), rowsDone });
  }

  /** The plans in the order they were added, each let go once handed out. */
  *drain(): Generator<{ writes: W; rowsDone: number }> {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      this.chunks[i] = undefined;
      yield { writes: JSON.parse(inflateRawSync(c.data).toString('utf8')) as W, rowsDone: c.rowsDone };
    }
    this.chunks = [];
  }
}
