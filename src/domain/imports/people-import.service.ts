import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { fieldDefs } from '../custom-fields/custom-fields.service.js';
import { detectPreset, mapColumns, normHeader, parsePairs } from './column-mapping.js';
import { readHeader } from './import-file.js';
import { forEachChunk, type ImportSteps, runImport } from './import-passes.js';
import type { ImportOptions, OnProgress } from './import-options.js';
import { statusOverrides } from './import-options.js';
import { ReportLog, reportHead } from './import-report.js';
import { type ChunkWrites, type PassState, planChunk } from './people-import-plan.js';
import { writeChunk } from './people-import-write.js';
import { PEOPLE_PRESETS, PERSON_FIELDS } from './people-presets.js';
import { type RowContext, readPersonRow } from './person-import-row.js';
import { statusTable } from './status-words.js';

/** Rows per chunk: one transaction and one event-loop turn each (see docs/imports.md). */
export const CHUNK_ROWS = 100;

const FIELD = new Set<string>(PERSON_FIELDS);
const isRepeatable = (f: string) => /^(email|phone):[a-z]{1,20}$/.test(f) || f === 'email' || f === 'phone';

/** Reads the header and settles the preset, the column mapping and how rows are read. */
async function prepare(db: TenantDb, file: Buffer, opts: ImportOptions) {
  const { format, header } = await readHeader(file);
  const preset = opts.preset
    ? PEOPLE_PRESETS.find((p) => p.name === opts.preset)!
    : detectPreset(header, PEOPLE_PRESETS);
  const defs = await fieldDefs(db);
  const customByName = new Map<string, string>();
  for (const d of defs) {
    customByName.set(normHeader(d.label), `custom.${d.key}`);
    customByName.set(normHeader(d.key), `custom.${d.key}`);
  }
  const customByKey = new Map(defs.map((d) => [d.key, d]));
  const { columns, ignored } = mapColumns(header, preset, parsePairs(opts.map, 'map'), {
    isField: (f) =>
      FIELD.has(f) || isRepeatable(f) || (f.startsWith('custom.') && customByKey.has(f.slice(7))),
    repeatable: isRepeatable,
    required: ['firstName', 'lastName'],
    customByName,
  });
  const dateOrder = opts.dateOrder ?? preset.dateOrder;
  const ctx: RowContext = {
    columns,
    dateOrder,
    noYear: preset.noYear,
    statuses: statusTable(statusOverrides(opts.status)),
    customByKey,
  };
  return { format, preset, columns, ignored, ctx, dateOrder, source: opts.source ?? preset.source };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

function newState(source: string): PassState {
  return {
    source,
    log: new ReportLog(),
    seen: new Map(),
    claimed: new Map(),
    createdIds: new Set(),
    households: new Map(),
    householdsCreated: 0,
    householdsUpdated: 0,
  };
}

/**
 * The steps of a people import: one pass reads the file in chunks and plans each against the
 * database; a plan is written in its own transaction, with a turn of the event loop between
 * planning and writing, so a big file never blocks other requests.
 */
function peopleSteps(
  db: TenantDb,
  actor: Actor,
  file: Buffer,
  p: Prepared,
  run: { maxRows?: number; onProgress?: OnProgress },
): ImportSteps<PassState, ChunkWrites> {
  return {
    async pass(planned, phase, dryRun) {
      const state = newState(p.source);
      await forEachChunk({
        file,
        format: p.format,
        log: state.log,
        phase,
        ...run,
        chunkRows: CHUNK_ROWS,
        read: (cells, line, errors) => readPersonRow(cells, line, p.ctx, errors),
        plan: (chunk) => planChunk(db, state, chunk, new Date().toISOString(), dryRun),
        planned,
      });
      return state;
    },
    write: (writes) => db.transaction().execute((trx) => writeChunk(trx, actor, writes, p.source)),
  };
}

/** The report of a people import (also the body of a rejected one). */
export function peopleReport(p: Prepared, opts: ImportOptions, state: PassState) {
  return {
    ...reportHead('people' as const, opts, p),
    ...state.log.summary(),
    households: { created: state.householdsCreated, updated: state.householdsUpdated },
  };
}
export type PeopleImportReport = ReturnType<typeof peopleReport>;

/**
 * Imports people from a CSV or XLSX export. With onError=abort (the default) every row is checked
 * against the database first and any problem rejects the file with nothing written; then the
 * plans of that check are written chunk by chunk. A dry run is the checking pass alone, so it reports exactly what
 * the real run does. Re-running a file changes nothing: rows match by external id, email and
 * first name, or name and birth date.
 */
export async function importPeopleFile(
  db: TenantDb,
  actor: Actor,
  file: Buffer,
  opts: ImportOptions,
  run: { maxRows?: number; onProgress?: OnProgress } = {},
): Promise<PeopleImportReport> {
  const p = await prepare(db, file, opts);
  const report = await runImport(
    opts,
    peopleSteps(db, actor, file, p, run),
    (state) => peopleReport(p, opts, state),
    run.onProgress,
  );
  if (!opts.dryRun && report.created + report.updated > 0) {
    await appendAudit(db, actor, {
      action: 'import',
      entity: 'people_import',
      entityId: actor.requestId ?? 'import',
      after: {
        preset: report.preset,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        skipped: report.skipped,
      },
    });
  }
  return report;
}
