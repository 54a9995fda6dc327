import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, pageBody, paging, pagingQuery } from '../route-helpers.js';
import { CreateFundBody, Fund, UpdateFundBody } from './funds.schemas.js';
import * as funds from './funds.service.js';

const tags = ['giving'];
const FundListQuery = Type.Object(pagingQuery, { additionalProperties: false });

/** /funds: what gifts are given to, and whether they count on tax statements. */
export const fundRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/funds',
    {
      config: { permission: 'giving:read' },
      schema: {
        operationId: 'listFunds',
        summary: 'List funds',
        tags,
        querystring: FundListQuery,
        response: { 200: PageEnvelope(Fund) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await funds.listFunds(tenantDbOf(request), p), p.limit);
    },
  );

  app.post(
    '/funds',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'createFund',
        summary: 'Add a fund',
        tags,
        body: CreateFundBody,
        response: { 201: DataEnvelope(Fund), ...problems(409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await funds.createFund(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/funds/:id',
    {
      config: { permission: 'giving:read' },
      schema: {
        operationId: 'getFund',
        summary: 'Get a fund',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(Fund) },
      },
    },
    async (request) => ({ data: await funds.getFund(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/funds/:id',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'updateFund',
        summary: 'Change a fund',
        description: 'Its tax-deductible status is locked once it has committed donations (409).',
        tags,
        params: IdParams,
        body: UpdateFundBody,
        response: { 200: DataEnvelope(Fund), ...problems(409) },
      },
    },
    async (request) => ({
      data: await funds.updateFund(tenantDbOf(request), actorOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/funds/:id',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'deleteFund',
        summary: 'Delete a fund without donations',
        tags,
        params: IdParams,
        response: { 204: NoContent, ...problems(409) },
      },
    },
    async (request, reply) => {
      await funds.deleteFund(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );
};
