import { type FastifyPluginAsyncTypebox, type TSchema, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { DataEnvelope } from '../../http/envelope.js';
import { NO_STORE, type HeaderSpec, withHeaders } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { IdParams } from '../route-helpers.js';
import { renderStatementHtml } from './statement-html.js';
import { HouseholdStatement, PersonStatement, StatementQuery } from './statements.schemas.js';
import { householdStatement, personStatement } from './statements.service.js';

const tags = ['giving'];
const HTML = 'text/html; charset=utf-8';
// The page needs nothing but its inline style: no scripts, images or requests, even if a name slipped through.
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'";
const PAGE_HEADERS: Record<string, HeaderSpec> = {
  ...NO_STORE,
  'content-security-policy': {
    schema: { type: 'string' },
    description: 'The page runs no script and loads nothing.',
    required: true,
  },
};

/** One statement route's options: an id and `?year`, answered as JSON. */
function jsonRoute<T extends TSchema>(operationId: string, summary: string, statement: T) {
  return {
    config: { permission: 'giving:read' as const },
    schema: {
      operationId,
      summary,
      description: 'Tax-deductible gifts of the year from committed batches; reversals net to zero.',
      tags,
      params: IdParams,
      querystring: StatementQuery,
      response: { 200: withHeaders(DataEnvelope(statement), NO_STORE) },
    },
  };
}

/** The same statement as a printable HTML page: its own operation, one content type each. */
function pageRoute(operationId: string, summary: string) {
  return {
    config: { permission: 'giving:read' as const },
    schema: {
      operationId,
      summary,
      tags,
      params: IdParams,
      querystring: StatementQuery,
      response: {
        200: withHeaders(
          { description: 'A printable page.', content: { 'text/html': { schema: Type.String() } } },
          PAGE_HEADERS,
        ),
      },
    },
  };
}

/** Answers with a statement as its printable page. */
function sendPage(reply: FastifyReply, statement: PersonStatement | HouseholdStatement) {
  return reply.type(HTML).header('content-security-policy', HTML_CSP).send(renderStatementHtml(statement));
}

/** Yearly contribution statements, as JSON, or as a printable page (`.../giving-statement.html`). */
export const statementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Financial data is never kept by shared or history caches.
  app.addHook('onSend', async (_request, reply) => {
    if (reply.statusCode === 200) reply.header('cache-control', 'no-store');
  });

  app.get(
    '/people/:id/giving-statement',
    jsonRoute('getPersonGivingStatement', "A person's giving statement", PersonStatement),
    async (request) => ({
      data: await personStatement(tenantDbOf(request), request.params.id, request.query.year),
    }),
  );
  app.get(
    '/people/:id/giving-statement.html',
    pageRoute('getPersonGivingStatementPage', "A person's giving statement as a printable page"),
    async (request, reply) =>
      sendPage(reply, await personStatement(tenantDbOf(request), request.params.id, request.query.year)),
  );
  app.get(
    '/households/:id/giving-statement',
    jsonRoute('getHouseholdGivingStatement', "A household's joint giving statement", HouseholdStatement),
    async (request) => ({
      data: await householdStatement(tenantDbOf(request), request.params.id, request.query.year),
    }),
  );
  app.get(
    '/households/:id/giving-statement.html',
    pageRoute('getHouseholdGivingStatementPage', "A household's joint giving statement as a printable page"),
    async (request, reply) =>
      sendPage(reply, await householdStatement(tenantDbOf(request), request.params.id, request.query.year)),
  );
};
