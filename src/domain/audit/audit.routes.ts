import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { PageEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { tenantDbOf } from '../../http/request-context.js';
import { Nullable, pageBody, paging, pagingQuery } from '../route-helpers.js';
import { listAuditLog } from './audit.service.js';

const AuditSchema = named(
  'AuditEntry',
  Type.Object({
    id: Type.String(),
    at: Type.String(),
    actorId: Nullable(Type.String()),
    action: Type.String({ description: 'What was done: `create`, `update`, `delete`, `import`, ...' }),
    entity: Type.String(),
    entityId: Type.String(),
    changes: Type.Object({}, { additionalProperties: true, description: 'Before and after values.' }),
    requestId: Nullable(Type.String()),
  }),
);

/** GET only: the API offers no way to edit or delete audit rows. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit:read' },
      schema: {
        operationId: 'listAuditLog',
        summary: 'The audit log, newest first',
        tags: ['audit'],
        querystring: Type.Object(
          {
            entity: Type.Optional(
              Type.String({ maxLength: 100, description: 'The kind of record: `person`, `donation`, ...' }),
            ),
            entityId: Type.Optional(
              Type.String({ maxLength: 100, description: 'One record (with `entity`).' }),
            ),
            action: Type.Optional(
              Type.String({ maxLength: 100, description: 'What was done: `create`, `update`, ...' }),
            ),
            actor: Type.Optional(Type.String({ maxLength: 100, description: 'The staff user who did it.' })),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'At or after this time.' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Before this time.' })),
            ...pagingQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageEnvelope(AuditSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      const { limit: _, cursor: __, ...filters } = request.query;
      return pageBody(await listAuditLog(tenantDbOf(request), { ...filters, ...p }), p.limit);
    },
  );
};
