import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../errors/app-error.js';
import { type FileFormat, fileError, readRows } from './import-file.js';
import type { ImportOptions, ImportProgress, OnProgress } from './import-options.js';
import type { ReportLog, RowError, RowResult } from './import-report.js';
import { PlannedChunks } from './planned-chunks.js';

/** A rejected import: 422 with the full report, nothing written. */
export function importRejected(report: { errorCount: number }) {
  return new AppError('UNPROCESSABLE', `${report.errorCount} problem(s) in the file; nothing was imported.`, {
    extensions: { report },
  });
}

/** What an import does with a planned chunk, called once per chunk in file order. */
export type OnPlanned<W> = (writes: W, rowsDone: number) => Promise<void>;

/** The steps of one kind of import (people, giving); `runImport` puts them in order. */
export interface ImportSteps<S, W> {
  /**
   * One pass over the file: reads, checks and plans every chunk against the database, handing
   * each plan to `planned`. `dryRun` plans leave the ids of records to create out of the report.
   */
  pass(planned: OnPlanned<W>, phase: ImportProgress['phase'], dryRun: boolean): Promise<S>;
  /** Writes one planned chunk in its own transaction. */
  write(writes: W): Promise<void>;
  /** After the last chunk is written (giving commits its batches). */
  finish?(state: S): Promise<void>;
}

type Report = { errorCount: number; results: RowResult[] };

/**
 * The order every import runs in. A dry run is the checking pass alone, so it reports exactly
 * what the real run does. skip: each chunk is written as soon as it is planned. abort: one pass
 * reads, checks and plans every row, keeping each chunk's plan (compressed); the plans are
 * written only when no row failed, so the file is read and matched once.
 */
export async function runImport<S, W, R extends Report>(
  opts: ImportOptions,
  steps: ImportSteps<S, W>,
  report: (state: S) => R,
  onProgress?: OnProgress,
): Promise<R> {
  if (opts.dryRun) return report(await steps.pass(async () => {}, 'checking', true));
  if (opts.onError === 'skip') {
    const state = await steps.pass((writes) => steps.write(writes), 'writing', false);
    await steps.finish?.(state);
    return report(state);
  }
  const plans = new PlannedChunks<W>();
  const state = await steps.pass(async (writes, rowsDone) => plans.add(writes, rowsDone), 'checking', false);
  const checked = report(state);
  if (checked.errorCount > 0) throw importRejected(withoutUnwrittenIds(checked));
  for (const { writes, rowsDone } of plans.drain()) {
    await steps.write(writes);
    await onProgress?.({ phase: 'writing', rowsDone });
    await yieldToLoop();
  }
  await steps.finish?.(state);
  return checked;
}

/** A rejected file created nothing: its report names no ids of records that were only planned. */
function withoutUnwrittenIds<R extends Report>(report: R): R {
  return {
    ...report,
    results: report.results.map((r) => (r.action === 'created' ? { ...r, id: null } : r)),
  };
}

export interface ChunkedRead<T, W> {
  file: Buffer;
  format: FileFormat;
  log: ReportLog;
  phase: ImportProgress['phase'];
  maxRows?: number;
  onProgress?: OnProgress;
  chunkRows: number;
  read(cells: string[], line: number, errors: RowError[]): T;
  /** True when the chunk may end before `next` (e.g. not inside one gift's split rows). */
  mayCut?(last: T, next: T): boolean;
  /** Checks and plans one chunk against the database (reads only). */
  plan(chunk: Array<{ row: T; errors: RowError[] }>): Promise<W>;
  /** Takes the plan: writes it, keeps it, or (dry run) drops it. */
  planned: OnPlanned<W>;
}

/**
 * Streams a file's data rows in chunks: each chunk is planned, then handed on, with a turn of the
 * event loop after each step, so no step of a big import holds the loop for long.
 */
export async function forEachChunk<T, W>(c: ChunkedRead<T, W>): Promise<void> {
  let chunk: Array<{ row: T; errors: RowError[] }> = [];
  const flush = async () => {
    const writes = await c.plan(chunk);
    // SQLite statements run synchronously: without a turn between planning and writing, one
    // chunk would be one long stall.
    await yieldToLoop();
    await c.planned(writes, c.log.rows);
    chunk = [];
    await c.onProgress?.({ phase: c.phase, rowsDone: c.log.rows });
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
