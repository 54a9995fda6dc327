import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';
import type { StatementDocument } from './statement-document.js';

/**
 * Renders statement PDFs on worker threads: laying out thousands of PDFs on the main thread
 * stalls every request. The pool (piscina) and pdfkit load on first use only; idle threads exit.
 * The queue is bounded by the callers, who keep a small window of renders in flight.
 */
export class StatementPdfPool {
  private pool: Promise<Piscina> | undefined;

  constructor(private readonly threads: number) {}

  async render(doc: StatementDocument): Promise<Buffer> {
    this.pool ??= this.start();
    const bytes: Uint8Array = await (await this.pool).run(doc);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Renders in flight that the callers should allow: enough to keep every thread busy. */
  get window(): number {
    return this.threads * 2;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).destroy();
  }

  private async start(): Promise<Piscina> {
    const { Piscina } = await import('piscina');
    const here = import.meta.filename;
    const filename = path.join(path.dirname(here), `statement-pdf.worker${path.extname(here)}`);
    return new Piscina({
      filename,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: 30_000,
      // Below the request thread in the scheduler: a year-end run must not slow the API down.
      niceIncrement: 10,
      // A statement needs a few MB; the caps keep a runaway document from growing the process,
      // and a small young generation keeps each thread's short-lived garbage from adding tens of
      // MB to the process while thousands of statements are made.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
      // From TypeScript sources (tsx, tests) the worker needs the same loader as this thread.
      execArgv: filename.endsWith('.ts') ? ['--import', tsxLoader()] : [],
    });
  }
}

/** tsx's loader by absolute URL: a worker resolves `--import` from the working directory. */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
