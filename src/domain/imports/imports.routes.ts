import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf } from '../route-helpers.js';
import { importPeople } from './people-import.service.js';

/** CSV uploads are larger than JSON bodies: 5 MiB for this route only. */
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

const RowReport = Type.Object({
  row: Type.Integer(),
  status: Type.String(),
  personId: Type.Optional(Type.String()),
  errors: Type.Array(Type.String()),
});

/** POST /imports/people: text/csv body, all or nothing, `?dryRun=true` to preview. */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Encapsulated: only routes in this plugin accept text/csv.
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
        tags: ['imports'],
        consumes: ['text/csv'],
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        body: Type.String(),
        response: {
          200: DataEnvelope(
            Type.Object({
              dryRun: Type.Boolean(),
              created: Type.Integer(),
              updated: Type.Integer(),
              unchanged: Type.Integer(),
              rows: Type.Array(RowReport),
            }),
          ),
        },
      },
    },
    async (request) => ({
      data: await importPeople(tenantDbOf(request), actorOf(request), request.body, {
        dryRun: request.query.dryRun ?? false,
      }),
    }),
  );
};
