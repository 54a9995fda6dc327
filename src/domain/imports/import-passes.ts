import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../errors/app-error.js';
import { type FileFormat, fileError, readRows } from './import-file.js';
import type { ImportOptions, OnProgress } from './import-options.js';
import type { ReportLog, RowError } from './import-report.js';

/** A rejected import: 422 with the full report, nothing written. */
export function importRejected(report: { errorCount: number }) {
  return new AppError('UNPROCESSABLE', `${report.errorCount} problem(s) in the file; nothing was imported.`, {
    extensions: { report },
  });
}

/**
 * The order every import runs in. abort: a checking pass over the whole file, and the writing
 * pass only when no row failed; a dry run is the checking pass alone, so it reports exactly what
 * the real run does; skip: the writing pass at once.
 */
export async function checkThenWrite<S, R extends { errorCount: number }>(
  opts: ImportOptions,
  pass: (write: boolean) => Promise<S>,
  report: (state: S) => R,
): Promise<R> {
  if (opts.dryRun || opts.onError === 'abort') {
    const checked = report(await pass(false));
    if (opts.onError === 'abort' && checked.errorCount > 0) throw importRejected(checked);
    if (opts.dryRun) return checked;
  }
  return report(await pass(true));
}

export interface ChunkedRead<T> {
  file: Buffer;
  format: FileFormat;
  log: ReportLog;
  write: boolean;
  maxRows?: number;
  onProgress?: OnProgress;
  chunkRows: number;
  read(cells: string[], line: number, errors: RowError[]): T;
  /** True when the chunk may end before `next` (e.g. not inside one gift's split rows). */
  mayCut?(last: T, next: T): boolean;
  /** Plans and (when writing) writes one chunk. */
  flush(chunk: Array<{ row: T; errors: RowError[] }>): Promise<void>;
}

/**
 * Streams a file's data rows in chunks: each chunk is planned and written by `flush`, then the
 * event loop gets a turn, so no step of a big import holds the loop for long.
 */
export async function forEachChunk<T>(c: ChunkedRead<T>): Promise<void> {
  let chunk: Array<{ row: T; errors: RowError[] }> = [];
  const flush = async () => {
    await c.flush(chunk);
    chunk = [];
    await c.onProgress?.({ phase: c.write ? 'writing' : 'checking', rowsDone: c.log.rows });
    await yieldToLoop();
  };
  let line = 0;
  for await (const cells of readRows(c.file, c.format)) {
    if (++line === 1) continue;
    if (c.maxRows !== undefined && c.log.rows >= c.maxRows)
      throw fileError(`More than ${c.maxRows} rows: send the file with background=true.`);
    c.log.rows++;
    const errors: RowError[] = [];
    const row = c.read(cells, line, errors);
    if (chunk.length >= c.chunkRows && (c.mayCut?.(chunk.at(-1)!.row, row) ?? true)) await flush();
    chunk.push({ row, errors });
  }
  if (chunk.length) await flush();
  if (c.log.rows === 0) throw fileError('The file has no rows.');
}
