import { v7 as uuidv7 } from 'uuid';
import { AppError, Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { Actor } from '../audit/audit.repository.js';
import type { ImportOptions, OnProgress } from './import-options.js';
import * as repo from './imports.repository.js';
import type { ImportReportData } from './imports.schemas.js';
import type { ImportKind } from './imports.table.js';
import { importGivingFile } from './giving-import.service.js';
import { importPeopleFile } from './people-import.service.js';

/** Rows a request may import while the client waits; bigger files go through background=true. */
export const MAX_SYNC_ROWS = 10_000;

export type ImportRunner = (
  db: TenantDb,
  actor: Actor,
  file: Buffer,
  opts: ImportOptions,
  run: { maxRows?: number; onProgress?: OnProgress },
) => Promise<ImportReportData>;

const RUNNERS: Record<ImportKind, ImportRunner> = {
  people: importPeopleFile,
  giving: importGivingFile,
};

/** Runs an import while the request waits (at most MAX_SYNC_ROWS rows). */
export function runImport(db: TenantDb, actor: Actor, kind: ImportKind, file: Buffer, opts: ImportOptions) {
  return RUNNERS[kind](db, actor, file, opts, { maxRows: MAX_SYNC_ROWS });
}

type StoredImport = NonNullable<Awaited<ReturnType<typeof repo.findImport>>>;

/** The API shape of a background import. */
export function toImportJob(row: StoredImport) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    dryRun: row.dry_run === 1,
    phase: row.phase,
    rowsDone: row.rows_done,
    report: row.report === null ? null : JSON.parse(row.report),
    problem: row.problem === null ? null : JSON.parse(row.problem),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Stores the file and options as a queued import; the caller enqueues its job. */
export async function createImport(
  db: TenantDb,
  actor: Actor,
  kind: ImportKind,
  file: Buffer,
  opts: ImportOptions,
) {
  const now = new Date().toISOString();
  const row = {
    id: uuidv7(),
    kind,
    status: 'queued' as const,
    dry_run: opts.dryRun ? 1 : 0,
    options: JSON.stringify(opts),
    phase: null,
    rows_done: 0,
    report: null,
    problem: null,
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  await repo.insertImport(db, row, file);
  return toImportJob(row);
}

/** A background import, if the caller may see imports of its kind (else 404, as for any foreign id). */
export async function getImport(db: TenantDb, id: string, mayRead: (kind: ImportKind) => boolean) {
  const row = await repo.findImport(db, id);
  if (!row || !mayRead(row.kind)) throw Errors.notFound('import');
  return toImportJob(row);
}

// Progress is written at most this often: a status row, not a log.
const PROGRESS_EVERY_MS = 500;

/**
 * The job's work: claims the stored import, runs it with progress, stores the report (or why it
 * failed) and drops the file. A rejected file or bad request ends it as failed; anything else
 * (a database fault) is thrown so the queue retries, and the rerun is safe because imports are
 * idempotent.
 */
export async function runStoredImport(db: TenantDb, id: string): Promise<void> {
  const claimed = await repo.claimImport(db, id, new Date().toISOString());
  if (!claimed) return;
  const { row, file } = claimed;
  const opts = JSON.parse(row.options) as ImportOptions;
  const actor: Actor = { userId: row.created_by, requestId: `import:${id}` };
  let last = 0;
  const onProgress: OnProgress = async (p) => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    await repo.updateImport(db, id, {
      phase: p.phase,
      rows_done: p.rowsDone,
      updated_at: new Date().toISOString(),
    });
  };
  const end = async (patch: { status: 'done' | 'failed'; report: object | null; problem: object | null }) => {
    const now = new Date().toISOString();
    const report = patch.report as { rows?: number } | null;
    await repo.finishImport(db, id, {
      status: patch.status,
      report: report && JSON.stringify(report),
      problem: patch.problem && JSON.stringify(patch.problem),
      rows_done: report?.rows ?? row.rows_done,
      phase: null,
      finished_at: now,
      updated_at: now,
    });
  };
  try {
    const report = await RUNNERS[row.kind](db, actor, file, opts, { onProgress });
    await end({ status: 'done', report, problem: null });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const report = (err.extensions?.report as object | undefined) ?? null;
    await end({ status: 'failed', report, problem: { code: err.code, detail: err.message } });
  }
}
