import type { FastifyReply } from 'fastify';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { tenantDbOf } from '../../http/request-context.js';
import { IdParams } from '../route-helpers.js';
import { renderStatementHtml } from './statement-html.js';
import { HouseholdStatement, PersonStatement, StatementQuery } from './statements.schemas.js';
import { householdStatement, personStatement } from './statements.service.js';

const tags = ['giving'];
const HTML = 'text/html; charset=utf-8';
// The page needs nothing but its inline style: no scripts, images or requests, even if a name slipped through.
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** JSON, or the printable page; financial data is never kept by shared or history caches. */
function respond<S extends Parameters<typeof renderStatementHtml>[0]>(
  reply: FastifyReply,
  format: string | undefined,
  statement: S,
) {
  reply.header('cache-control', 'no-store');
  if (format === 'html') {
    return reply.type(HTML).header('content-security-policy', HTML_CSP).send(renderStatementHtml(statement));
  }
  return { data: statement };
}

/** Yearly contribution statements, as JSON or (`?format=html`) a printable page. */
export const statementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/people/:id/giving-statement',
    {
      config: { permission: 'giving:read' },
      schema: {
        tags,
        params: IdParams,
        querystring: StatementQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: DataEnvelope(PersonStatement) },
              'text/html': { schema: Type.String() },
            },
          },
        },
      },
    },
    async (request, reply) =>
      respond(
        reply,
        request.query.format,
        await personStatement(tenantDbOf(request), request.params.id, request.query.year),
      ),
  );

  app.get(
    '/households/:id/giving-statement',
    {
      config: { permission: 'giving:read' },
      schema: {
        tags,
        params: IdParams,
        querystring: StatementQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: DataEnvelope(HouseholdStatement) },
              'text/html': { schema: Type.String() },
            },
          },
        },
      },
    },
    async (request, reply) =>
      respond(
        reply,
        request.query.format,
        await householdStatement(tenantDbOf(request), request.params.id, request.query.year),
      ),
  );
};
