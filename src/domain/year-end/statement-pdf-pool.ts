import { LazyWorkerPool } from '../../infra/lazy-worker-pool.js';
import type { StatementDocument } from './statement-document.js';

/**
 * Renders statement PDFs on worker threads: laying out thousands of PDFs on the main thread
 * stalls every request. The pool (piscina) and pdfkit load on first use only; idle threads exit.
 * The queue is bounded by the callers, who keep a small window of renders in flight.
 */
export class StatementPdfPool {
  private readonly pool: LazyWorkerPool<StatementDocument, Uint8Array>;

  constructor(private readonly threads: number) {
    this.pool = new LazyWorkerPool(import.meta.filename, 'statement-pdf', {
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 30_000,
      // Below the request thread in the scheduler: a year-end run must not slow the API down.
      niceIncrement: 10,
      // A statement needs a few MB; the caps keep a runaway document from growing the process,
      // and a small young generation keeps each thread's short-lived garbage from adding tens of
      // MB to the process while thousands of statements are made.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
    });
  }

  async render(doc: StatementDocument): Promise<Buffer> {
    const bytes = await this.pool.run(doc);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Renders in flight that the callers should allow: enough to keep every thread busy. */
  get window(): number {
    return this.threads * 2;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
