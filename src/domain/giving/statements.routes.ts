import type { FastifyReply } from 'fastify';
import { type FastifyPluginAsyncTypebox, type TSchema, Type } from '@fastify/type-provider-typebox';
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

/** One statement route's options: an id, `?year` and `?format`, answered as JSON or HTML. */
function statementRoute<T extends TSchema>(statement: T) {
  return {
    config: { permission: 'giving:read' as const },
    schema: {
      tags,
      params: IdParams,
      querystring: StatementQuery,
      response: {
        200: {
          content: {
            'application/json': { schema: DataEnvelope(statement) },
            'text/html': { schema: Type.String() },
          },
        },
      },
    },
  };
}

/** Yearly contribution statements, as JSON or (`?format=html`) a printable page. */
export const statementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/people/:id/giving-statement', statementRoute(PersonStatement), async (request, reply) =>
    respond(
      reply,
      request.query.format,
      await personStatement(tenantDbOf(request), request.params.id, request.query.year),
    ),
  );

  app.get('/households/:id/giving-statement', statementRoute(HouseholdStatement), async (request, reply) =>
    respond(
      reply,
      request.query.format,
      await householdStatement(tenantDbOf(request), request.params.id, request.query.year),
    ),
  );
};
