import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, pageBody, paging } from '../route-helpers.js';
import { Batch, BatchListQuery, CreateBatchBody, UpdateBatchBody } from './batches.schemas.js';
import * as batches from './batches.service.js';

const tags = ['giving'];

/** /batches: deposits; committing one makes it and its donations immutable. */
export const batchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/batches',
    {
      config: { permission: 'giving:read' },
      schema: {
        operationId: 'listBatches',
        summary: 'List batches',
        tags,
        querystring: BatchListQuery,
        response: { 200: PageEnvelope(Batch) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      const page = await batches.listBatches(tenantDbOf(request), { status: request.query.status, ...p });
      return pageBody(page, p.limit);
    },
  );

  app.post(
    '/batches',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'createBatch',
        summary: 'Open a batch',
        tags,
        body: CreateBatchBody,
        response: { 201: DataEnvelope(Batch) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await batches.createBatch(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/batches/:id',
    {
      config: { permission: 'giving:read' },
      schema: {
        operationId: 'getBatch',
        summary: 'Get a batch with its totals',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(Batch) },
      },
    },
    async (request) => ({ data: await batches.getBatch(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/batches/:id',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'updateBatch',
        summary: 'Change an open batch',
        tags,
        params: IdParams,
        body: UpdateBatchBody,
        response: { 200: DataEnvelope(Batch), ...problems(409) },
      },
    },
    async (request) => ({
      data: await batches.updateBatch(tenantDbOf(request), actorOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/batches/:id',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'deleteBatch',
        summary: 'Delete an empty open batch',
        tags,
        params: IdParams,
        response: { 204: NoContent, ...problems(409) },
      },
    },
    async (request, reply) => {
      await batches.deleteBatch(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.post(
    '/batches/:id/commit',
    {
      config: { permission: 'giving:write' },
      schema: {
        operationId: 'commitBatch',
        summary: 'Commit a batch',
        description: 'The batch and its donations become immutable; corrections are reversals.',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(Batch), ...problems(409) },
      },
    },
    async (request) => ({
      data: await batches.commitBatch(tenantDbOf(request), actorOf(request), request.params.id),
    }),
  );
};
