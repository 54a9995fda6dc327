import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problemMembers, problemResponse } from '../../http/openapi/problem-responses.js';
import { StringEnum } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf } from '../route-helpers.js';
import { importPeople } from './people-import.service.js';

/** CSV uploads are larger than JSON bodies: 5 MiB for this route only. */
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

const ROW_STATUSES = ['created', 'updated', 'unchanged', 'ok', 'error'] as const;
const RowReport = named(
  'ImportRow',
  Type.Object({
    row: Type.Integer({ description: 'The line in the file (the header is line 1).' }),
    status: named(
      'ImportRowStatus',
      StringEnum(ROW_STATUSES, { description: '`ok`: a valid row of a file rejected for other rows.' }),
    ),
    personId: Type.Optional(Type.String()),
    errors: Type.Array(Type.String()),
  }),
);

const ImportReport = named(
  'ImportReport',
  Type.Object({
    dryRun: Type.Boolean(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    rows: Type.Array(RowReport),
  }),
);

/** A rejected import: the problem plus the report of every row. */
const ImportProblem = named(
  'ImportProblem',
  Type.Object({ ...problemMembers, rows: Type.Optional(Type.Array(RowReport)) }),
);

/** POST /imports/people: text/csv body, all or nothing, `?dryRun=true` to preview. */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Encapsulated: only routes in this plugin take text/csv, and only text/csv (a JSON string of
  // the same file would be a second road to the same import).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/imports/people',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { permission: 'imports:write' },
      schema: {
        operationId: 'importPeople',
        summary: 'Import people from CSV',
        description:
          'All or nothing: any bad row is a 422 with a report of every row, and nothing is written. ' +
          'People are matched on email, else on name and birth date, so a second import changes nothing.',
        tags: ['imports'],
        consumes: ['text/csv'],
        querystring: Type.Object(
          {
            dryRun: Type.Optional(Type.Boolean({ description: 'Report what would happen; write nothing.' })),
          },
          { additionalProperties: false },
        ),
        body: Type.String({ description: 'A CSV file with a header row (at most 5 MiB).' }),
        response: { 200: DataEnvelope(ImportReport), 422: problemResponse(422, ImportProblem) },
      },
    },
    async (request) => ({
      data: await importPeople(tenantDbOf(request), actorOf(request), request.body, {
        dryRun: request.query.dryRun ?? false,
      }),
    }),
  );
};
