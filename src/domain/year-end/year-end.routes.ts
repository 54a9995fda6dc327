import type { Readable } from 'node:stream';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NO_STORE, withHeaders } from '../../http/openapi/schema-helpers.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { RunParams, YearEndRun, YearEndSummary, YearParams } from './year-end.schemas.js';
import type { YearEndStatements } from './year-end.service.js';

const tags = ['giving'];
const read = { permission: 'giving:read' as const };

/** Year-end statements for every donor: summary, ZIP of PDFs, and emailing them with progress. */
export const yearEndRoutes: FastifyPluginAsyncTypebox<{ yearEnd: YearEndStatements }> = async (
  app,
  { yearEnd },
) => {
  app.get(
    '/giving/year-end/:year',
    {
      config: read,
      schema: {
        operationId: 'getYearEndSummary',
        summary: 'Who gave in a year, and the donors without an email address',
        tags,
        params: YearParams,
        response: { 200: withHeaders(DataEnvelope(YearEndSummary), NO_STORE), ...problems(404) },
      },
    },
    async (request, reply) => {
      const data = await yearEnd.summary(tenantDbOf(request), request.params.year);
      reply.header('cache-control', 'no-store');
      return { data };
    },
  );

  app.get(
    '/giving/year-end/:year/statements.zip',
    {
      config: read,
      schema: {
        operationId: 'downloadYearEndStatements',
        summary: "Every donor's statement for a year, as PDFs in a ZIP",
        description:
          'Committed batches only; a statement notes gifts still in open batches. The same data gives the same files.',
        tags,
        params: YearParams,
        response: {
          200: withHeaders(
            {
              description: 'A ZIP with one PDF per donor.',
              content: {
                'application/zip': { schema: Type.Unsafe<Readable>(Type.String({ format: 'binary' })) },
              },
            },
            {
              ...NO_STORE,
              'content-disposition': {
                schema: { type: 'string' },
                description: 'attachment; filename="giving-statements-<year>.zip"',
                required: true,
              },
            },
          ),
          ...problems(404),
        },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      const zip = await yearEnd.zip(tenantDbOf(request), year);
      return reply
        .type('application/zip')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="giving-statements-${year}.zip"`)
        .send(zip);
    },
  );

  app.post(
    '/giving/year-end/:year/emails',
    {
      config: { permission: 'giving:write' as const },
      schema: {
        operationId: 'emailYearEndStatements',
        summary: 'Email every donor with an address their statement (PDF attached)',
        description:
          'Answers at once with the run; follow it with getYearEndRun. Asking again while a run is going returns it; a donor is never emailed the same year twice.',
        tags,
        params: YearParams,
        response: { 202: DataEnvelope(YearEndRun), ...problems(404) },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      reply.status(202);
      return {
        data: await yearEnd.startEmails(tenantDbOf(request), auth.tenantId, request.params.year, auth.userId),
      };
    },
  );

  app.get(
    '/giving/year-end-runs/:id',
    {
      config: read,
      schema: {
        operationId: 'getYearEndRun',
        summary: "Progress of emailing a year's statements",
        tags,
        params: RunParams,
        response: { 200: DataEnvelope(YearEndRun), ...problems(404) },
      },
    },
    async (request) => ({ data: await yearEnd.getRun(tenantDbOf(request), request.params.id) }),
  );
};
