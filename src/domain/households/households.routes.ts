import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, pageBody, paging } from '../route-helpers.js';
import {
  AddHouseholdMemberBody,
  HouseholdCreateBody,
  HouseholdListQuery,
  HouseholdMemberSchema,
  HouseholdMembership,
  HouseholdPatchBody,
  HouseholdSchema,
  HouseholdWithMembersSchema,
  MemberParams,
} from './households.schemas.js';
import * as households from './households.service.js';

const tags = ['households'];

/** /households and their members (people data: people:read / people:write). */
export const householdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/households',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'listHouseholds',
        summary: 'List households',
        tags,
        querystring: HouseholdListQuery,
        response: { 200: PageEnvelope(HouseholdSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(
        await households.listHouseholds(tenantDbOf(request), { q: request.query.q, ...p }),
        p.limit,
      );
    },
  );

  app.post(
    '/households',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'createHousehold',
        summary: 'Add a household',
        tags,
        body: HouseholdCreateBody,
        response: { 201: DataEnvelope(HouseholdSchema) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await households.createHousehold(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/households/:id',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'getHousehold',
        summary: 'Get a household with its members',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(HouseholdWithMembersSchema) },
      },
    },
    async (request) => ({
      data: await households.getHouseholdWithMembers(tenantDbOf(request), request.params.id),
    }),
  );

  app.patch(
    '/households/:id',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'updateHousehold',
        summary: 'Change a household',
        tags,
        params: IdParams,
        body: HouseholdPatchBody,
        response: { 200: DataEnvelope(HouseholdSchema) },
      },
    },
    async (request) => ({
      data: await households.updateHousehold(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  app.delete(
    '/households/:id',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'deleteHousehold',
        summary: 'Delete a household',
        tags,
        params: IdParams,
        response: { 204: NoContent, ...problems(409) },
      },
    },
    async (request, reply) => {
      await households.deleteHousehold(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.get(
    '/households/:id/members',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'listHouseholdMembers',
        summary: "A household's members",
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(Type.Array(HouseholdMemberSchema)) },
      },
    },
    async (request) => {
      const db = tenantDbOf(request);
      await households.getHousehold(db, request.params.id);
      return { data: await households.listHouseholdMembers(db, request.params.id) };
    },
  );

  app.post(
    '/households/:id/members',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'addHouseholdMember',
        summary: 'Add a person to a household',
        tags,
        params: IdParams,
        body: AddHouseholdMemberBody,
        response: { 201: DataEnvelope(HouseholdMembership), ...problems(409) },
      },
    },
    async (request, reply) => {
      const member = await households.addHouseholdMember(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body,
      );
      reply.status(201);
      return { data: member };
    },
  );

  app.delete(
    '/households/:id/members/:personId',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'removeHouseholdMember',
        summary: 'Remove a person from a household',
        tags,
        params: MemberParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const { id, personId } = request.params;
      await households.removeHouseholdMember(tenantDbOf(request), actorOf(request), id, personId);
      reply.status(204).send();
    },
  );
};
