import { type Static, Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { problemMembers } from '../../http/openapi/problem-responses.js';
import { CentsValue } from '../../http/openapi/schema-helpers.js';
import { Nullable, StringEnum } from '../route-helpers.js';
import { DATE_ORDERS } from './import-dates.js';
import { ON_ERROR } from './import-options.js';

/** How slashed dates are written (the preset's order unless the request states one). */
const DateOrderSchema = named(
  'ImportDateOrder',
  StringEnum(DATE_ORDERS, { description: 'mdy: 3/14/1978; dmy: 14/3/1978; ymd: ISO only.' }),
);

const ImportRowError = named(
  'ImportRowError',
  Type.Object({
    row: Type.Integer({ description: 'The line in the file (the header is line 1).' }),
    column: Nullable(
      Type.String({ description: 'The header of the column at fault; null for the whole row.' }),
    ),
    message: Type.String(),
  }),
);

const ImportRowResult = named(
  'ImportRowResult',
  Type.Object({
    row: Type.Integer(),
    action: named('ImportRowAction', StringEnum(['created', 'updated', 'unchanged', 'skipped'] as const)),
    id: Nullable(Type.String({ description: 'The record; null for one a dry run would create.' })),
    matchedBy: Nullable(
      named(
        'ImportMatch',
        StringEnum(['external-id', 'email', 'name'] as const, {
          description: 'How an existing record was found.',
        }),
      ),
    ),
  }),
);

const ImportColumn = named(
  'ImportColumn',
  Type.Object({
    column: Type.String({ description: 'The header as the file spells it.' }),
    field: Nullable(Type.String({ description: 'The Steeple field it fills; null when ignored.' })),
  }),
);

/**
 * What an import did, or (dry run) would do: the same shape for both, so a dry run is a preview
 * of the real run's report. Lists are capped at 2,000 entries (`*Truncated`); counts are exact.
 */
export const ImportReport = named(
  'ImportReport',
  Type.Object({
    kind: named('ImportKind', StringEnum(['people', 'giving'] as const)),
    dryRun: Type.Boolean(),
    onError: named('ImportOnError', StringEnum(ON_ERROR)),
    format: StringEnum(['csv', 'xlsx'] as const),
    preset: Type.String({
      description: 'The layout used: named in the request or detected from the header row.',
    }),
    source: Type.String({ description: 'The system external ids are recorded under.' }),
    dateOrder: DateOrderSchema,
    columns: Type.Array(ImportColumn),
    ignoredColumns: Type.Array(Type.String()),
    rows: Type.Integer({ description: 'Data rows in the file.' }),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    skipped: Type.Integer({ description: 'Rows with errors (left out under onError=skip).' }),
    errorCount: Type.Integer(),
    errors: Type.Array(ImportRowError),
    errorsTruncated: Type.Boolean(),
    results: Type.Array(ImportRowResult),
    resultsTruncated: Type.Boolean(),
    households: Type.Optional(
      Type.Object({ created: Type.Integer(), updated: Type.Integer() }, { description: 'People imports.' }),
    ),
    funds: Type.Optional(
      Type.Object(
        { created: Type.Array(Type.String()), missing: Type.Array(Type.String()) },
        {
          description: 'Giving imports: funds created (or to create), and funds missing without createFunds.',
        },
      ),
    ),
    batches: Type.Optional(Type.Object({ created: Type.Integer() }, { description: 'Giving imports.' })),
    totalCents: Type.Optional(CentsValue({ description: 'Giving imports: the sum of the imported gifts.' })),
    unmatchedDonors: Type.Optional(
      Type.Array(Type.Object({ row: Type.Integer(), donor: Type.String() }), {
        description: 'Giving imports: rows whose donor matched nobody (never guessed).',
      }),
    ),
  }),
);

export type ImportReportData = Static<typeof ImportReport>;

/** A rejected import: the problem plus the report of every row. */
export const ImportProblem = named(
  'ImportProblem',
  Type.Object({ ...problemMembers, report: Type.Optional(ImportReport) }),
);

export const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ description: 'Report what would happen; write nothing.' })),
    onError: Type.Optional(ImportOnErrorRef()),
    preset: Type.Optional(
      Type.String({ maxLength: 40, description: 'A preset name; detected when left out.' }),
    ),
    // Query parameters take plain schemas (the document cannot refer to components there).
    dateOrder: Type.Optional(
      StringEnum(DATE_ORDERS, {
        description: "How slashed dates are written; the preset's order by default.",
      }),
    ),
    map: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 300 }), {
        maxItems: 200,
        description:
          '`Header=field` (repeat): overrides or extends the preset; `Header=ignore` drops a column.',
      }),
    ),
    status: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 200 }), {
        maxItems: 100,
        description: '`Word=status` (repeat): adds to the status-word table (people).',
      }),
    ),
    source: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
        description: 'External-id source; the preset system by default.',
      }),
    ),
    createFunds: Type.Optional(
      Type.Boolean({ description: 'Giving: create the funds the file names that do not exist.' }),
    ),
    background: Type.Optional(
      Type.Boolean({ description: 'Run as a background job: 202 with the job; follow it at /imports/{id}.' }),
    ),
  },
  { additionalProperties: false },
);

function ImportOnErrorRef() {
  return StringEnum(ON_ERROR, {
    description: 'abort (default): any bad row rejects the file, nothing is written; skip: good rows land.',
  });
}

export const ImportJobStatus = named(
  'ImportJobStatus',
  StringEnum(['queued', 'running', 'done', 'failed'] as const),
);

/** A background import: its progress while it runs, its report (or the problem) when it ends. */
export const ImportJob = named(
  'ImportJob',
  Type.Object({
    id: Type.String(),
    kind: Type.String(),
    status: ImportJobStatus,
    dryRun: Type.Boolean(),
    phase: Nullable(Type.String({ description: '`checking` (validating every row) or `writing`.' })),
    rowsDone: Type.Integer(),
    report: Nullable(ImportReport),
    problem: Nullable(
      Type.Object(
        { code: problemMembers.code, detail: Type.String() },
        { description: 'Why a failed import failed (e.g. rows with errors under abort: see the report).' },
      ),
    ),
    createdAt: Type.String(),
    finishedAt: Nullable(Type.String()),
  }),
);
