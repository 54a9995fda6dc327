import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../../auth/roles.js';
import { DataEnvelope } from '../../http/envelope.js';
import { problemResponse } from '../../http/openapi/problem-responses.js';
import { withHeaders } from '../../http/openapi/schema-helpers.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams } from '../route-helpers.js';
import * as imports from './import-jobs.service.js';
import type { ImportOptions } from './import-options.js';
import { ImportJob, ImportProblem, ImportQuery, ImportReport } from './imports.schemas.js';
import type { ImportKind } from './imports.table.js';
import { GIVING_PRESET_NAMES } from './giving-presets.js';
import { PEOPLE_PRESET_NAMES } from './people-presets.js';

/** Exports of a few tens of thousands of rows fit; bigger files are split. */
export const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ImportRoutesOptions {
  /** Enqueues the job that runs a stored import. */
  startImport(tenantId: string, importId: string): Promise<void>;
}

type Query = {
  dryRun?: boolean;
  onError?: 'abort' | 'skip';
  background?: boolean;
} & Omit<ImportOptions, 'dryRun' | 'onError'>;

function optionsOf(q: Query): ImportOptions {
  const { background: _background, dryRun, onError, ...rest } = q;
  return { ...rest, dryRun: dryRun ?? false, onError: onError ?? 'abort' };
}

/** The upload as its bytes (the parser hands over the Buffer received; see http/validation.ts). */
const fileOf = (request: FastifyRequest) => request.body as Buffer;

const fileBody = (what: string) =>
  Type.String({ format: 'binary', description: `${what} (CSV or XLSX, at most 32 MiB).` });

const uploadResponses = {
  200: DataEnvelope(ImportReport),
  202: withHeaders(DataEnvelope(ImportJob), {
    location: { schema: { type: 'string' }, description: 'The import: `/api/imports/{id}`.', required: true },
  }),
  422: problemResponse(422, ImportProblem),
};

/** POST /imports/people and /imports/giving: an export file; GET /imports/{id}: a background run. */
export const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, opts) => {
  // Encapsulated: only these routes take files, and only as files (a JSON string of a CSV file
  // would be a second road to the same import), CSV and XLSX alike as the bytes received.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['text/csv', XLSX],
    { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  /** Runs the import while the client waits, or stores it and starts its job (background=true). */
  const upload = async (kind: ImportKind, request: FastifyRequest, reply: FastifyReply) => {
    const db = tenantDbOf(request);
    // Validated against ImportQuery by the route schema.
    const query = request.query as Query;
    const options = optionsOf(query);
    if (query.background) {
      const job = await imports.createImport(db, actorOf(request), kind, fileOf(request), options);
      await opts.startImport(authOf(request).tenantId, job.id);
      reply.status(202).header('location', `/api/imports/${job.id}`);
      return { data: job };
    }
    return { data: await imports.runImport(db, actorOf(request), kind, fileOf(request), options) };
  };

  app.post(
    '/imports/people',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { permission: 'imports:write' },
      schema: {
        operationId: 'importPeople',
        summary: 'Import people from another system',
        description:
          `An export of Planning Center People, Breeze, ChurchCRM or Steeple's own layout (presets: ${PEOPLE_PRESET_NAMES.join(', ')}), ` +
          'detected from the header row. With onError=abort (default) any bad row is a 422 with the report and nothing is ' +
          'written; a re-import changes nothing. Up to 10,000 rows while you wait; background=true for any size. See docs/imports.md.',
        tags: ['imports'],
        consumes: ['text/csv', XLSX],
        querystring: ImportQuery,
        body: fileBody('The export'),
        response: uploadResponses,
      },
    },
    (request, reply) => upload('people', request, reply),
  );

  app.post(
    '/imports/giving',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'importGiving',
        summary: 'Import giving history from another system',
        description:
          `A donations export of Planning Center Giving, Breeze or Steeple's own layout (presets: ${GIVING_PRESET_NAMES.join(', ')}). ` +
          "Gifts are idempotent by the source's transaction id; donors are found by the source's person id or email (unmatched " +
          'donors are listed, never guessed); createFunds=true creates missing funds; one committed batch per source batch ' +
          'or date. Up to 10,000 rows while you wait; background=true for any size. See docs/imports.md.',
        tags: ['imports'],
        consumes: ['text/csv', XLSX],
        querystring: ImportQuery,
        body: fileBody('The donations export'),
        response: uploadResponses,
      },
    },
    (request, reply) => upload('giving', request, reply),
  );

  app.get(
    '/imports/:id',
    {
      // Who may follow an import depends on its kind (people: imports:write, giving: giving:write).
      config: { permission: 'self' },
      schema: {
        operationId: 'getImport',
        summary: 'Follow a background import',
        description:
          'Status, progress (rows done in the current phase) and, once it ends, the report. People imports are ' +
          'visible to those who may import people, giving imports to those who may write giving (404 for others).',
        tags: ['imports'],
        params: IdParams,
        response: { 200: DataEnvelope(ImportJob) },
      },
    },
    async (request) => ({
      data: await imports.getImport(tenantDbOf(request), request.params.id, (kind) =>
        can(authOf(request).role, kind === 'giving' ? 'giving:write' : 'imports:write'),
      ),
    }),
  );
};
