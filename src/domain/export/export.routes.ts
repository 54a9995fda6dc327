import { Readable } from 'node:stream';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { NO_STORE, withHeaders } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { EXPORT_FORMAT, EXPORT_TABLES, exportChurch } from './church-export.js';

// Rows go out as stored (column -> value, snake_case), so a restore needs no mapping.
const ExportRow = Type.Object(
  {},
  { additionalProperties: true, description: 'One row as stored: column -> value.' },
);

/** The export document: every table of church data, keyed by table name. */
const ChurchExport = named(
  'ChurchExport',
  Type.Object({
    format: Type.Literal(EXPORT_FORMAT),
    exportedAt: Type.String({ format: 'date-time' }),
    tables: Type.Object(Object.fromEntries(EXPORT_TABLES.map((t) => [t.table, Type.Array(ExportRow)]))),
  }),
);

/** GET /church/export: the church's whole data as one streamed JSON document (admin only). */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/church/export',
    {
      config: { permission: 'church:export' },
      schema: {
        operationId: 'exportChurch',
        summary: "Export all of the church's data",
        description: 'Streamed as one JSON document (an attachment); password hashes are left out.',
        tags: ['church'],
        response: {
          200: withHeaders(
            {
              description: 'The export, streamed page by page.',
              // On the wire this JSON document; in the handler a stream of its text.
              content: { 'application/json': { schema: Type.Unsafe<Readable>(DataEnvelope(ChurchExport)) } },
            },
            {
              ...NO_STORE,
              'content-disposition': {
                schema: { type: 'string' },
                description: '`attachment; filename="steeple-export.json"`',
                required: true,
              },
            },
          ),
        },
      },
    },
    async (request, reply) => {
      const db = tenantDbOf(request);
      // The tenant lease is released on onResponse, i.e. after the stream has been fully sent.
      reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="steeple-export.json"');
      return reply.send(Readable.from(exportChurch(db)));
    },
  );
};
