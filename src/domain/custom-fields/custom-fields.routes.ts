import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams } from '../route-helpers.js';
import { CustomFieldInput, CustomFieldPatch, CustomFieldSchema } from './custom-fields.schemas.js';
import * as fields from './custom-fields.service.js';

const tags = ['people'];

/** /custom-fields: the church's own person fields; everyone who reads people reads them, admins manage them. */
export const customFieldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/custom-fields',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'listCustomFields',
        summary: 'List custom person fields',
        description: `In display order; a church has at most ${fields.MAX_CUSTOM_FIELDS}, so no paging.`,
        tags,
        response: { 200: DataEnvelope(Type.Array(CustomFieldSchema)) },
      },
    },
    async (request) => ({ data: await fields.listCustomFields(tenantDbOf(request)) }),
  );

  app.post(
    '/custom-fields',
    {
      config: { permission: 'church:manage' },
      schema: {
        operationId: 'createCustomField',
        summary: 'Add a custom person field',
        tags,
        body: CustomFieldInput,
        response: { 201: DataEnvelope(CustomFieldSchema), ...problems(409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await fields.createCustomField(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/custom-fields/:id',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'getCustomField',
        summary: 'Get a custom person field',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(CustomFieldSchema) },
      },
    },
    async (request) => ({ data: await fields.getCustomField(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/custom-fields/:id',
    {
      config: { permission: 'church:manage' },
      schema: {
        operationId: 'updateCustomField',
        summary: 'Change a custom person field',
        description: 'Key and type are fixed. Removing a choice that someone still holds is a 409.',
        tags,
        params: IdParams,
        body: CustomFieldPatch,
        response: { 200: DataEnvelope(CustomFieldSchema), ...problems(409) },
      },
    },
    async (request) => ({
      data: await fields.updateCustomField(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  app.delete(
    '/custom-fields/:id',
    {
      config: { permission: 'church:manage' },
      schema: {
        operationId: 'deleteCustomField',
        summary: 'Delete a custom person field',
        description: "Removes every person's value of it too.",
        tags,
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await fields.deleteCustomField(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );
};
