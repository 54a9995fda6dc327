import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, pageBody, paging, pagingQuery } from '../route-helpers.js';
import * as tagService from './tags.service.js';

const tags = ['tags'];
const TagBody = named(
  'TagInput',
  Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
);
const TagSchema = named(
  'Tag',
  Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() }),
);
const PersonTagParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }), tagId: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** /tags and tagging people (people data: people:read / people:write). */
export const tagRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tags',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'listTags',
        summary: 'List tags',
        tags,
        querystring: Type.Object(pagingQuery, { additionalProperties: false }),
        response: { 200: PageEnvelope(TagSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await tagService.listTags(tenantDbOf(request), p), p.limit);
    },
  );

  app.post(
    '/tags',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'createTag',
        summary: 'Add a tag',
        tags,
        body: TagBody,
        response: { 201: DataEnvelope(TagSchema), ...problems(409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await tagService.createTag(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/tags/:id',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'getTag',
        summary: 'Get a tag',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(TagSchema) },
      },
    },
    async (request) => ({ data: await tagService.getTag(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/tags/:id',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'renameTag',
        summary: 'Rename a tag',
        tags,
        params: IdParams,
        body: TagBody,
        response: { 200: DataEnvelope(TagSchema), ...problems(409) },
      },
    },
    async (request) => ({
      data: await tagService.renameTag(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  app.delete(
    '/tags/:id',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'deleteTag',
        summary: 'Delete a tag (untags everyone)',
        tags,
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await tagService.deleteTag(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.get(
    '/people/:id/tags',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'listPersonTags',
        summary: "A person's tags",
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(Type.Array(TagSchema)) },
      },
    },
    async (request) => ({ data: await tagService.personTags(tenantDbOf(request), request.params.id) }),
  );

  app.put(
    '/people/:id/tags/:tagId',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'tagPerson',
        summary: 'Tag a person',
        description: 'Idempotent: tagging a person twice is not an error.',
        tags,
        params: PersonTagParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await tagService.tagPerson(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.params.tagId,
      );
      reply.status(204).send();
    },
  );

  app.delete(
    '/people/:id/tags/:tagId',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'untagPerson',
        summary: 'Untag a person',
        tags,
        params: PersonTagParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await tagService.untagPerson(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.params.tagId,
      );
      reply.status(204).send();
    },
  );
};
