import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { personAttendance } from '../events/attendance.service.js';
import { actorOf, IdParams, pageBody, paging } from '../route-helpers.js';
import {
  AttendanceHistoryQuery,
  PeopleListQuery,
  PersonAttendance,
  PersonCreateBody,
  PersonPatchBody,
  PersonSchema,
} from './people.schemas.js';
import * as people from './people.service.js';

const tags = ['people'];

/** /people: CRUD, search and filters, and each person's attendance history. */
export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/people',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'listPeople',
        summary: 'List people',
        description:
          'Search by name (`q`), filter by membership status, tag, group or custom-field value; sorted by last name.',
        tags,
        querystring: PeopleListQuery,
        response: { 200: PageEnvelope(PersonSchema) },
      },
    },
    async (request) => {
      const { q, membershipStatus, tag, group, field, ...rest } = request.query;
      const p = paging(rest);
      return pageBody(
        await people.listPeople(tenantDbOf(request), { q, membershipStatus, tag, group, field, ...p }),
        p.limit,
      );
    },
  );

  app.post(
    '/people',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'createPerson',
        summary: 'Add a person',
        tags,
        body: PersonCreateBody,
        response: { 201: DataEnvelope(PersonSchema), ...problems(404, 409) },
      },
    },
    async (request, reply) => {
      const person = await people.createPerson(tenantDbOf(request), actorOf(request), request.body);
      reply.status(201);
      return { data: person };
    },
  );

  app.get(
    '/people/:id',
    {
      config: { permission: 'people:read' },
      schema: {
        operationId: 'getPerson',
        summary: 'Get a person',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(PersonSchema) },
      },
    },
    async (request) => ({ data: await people.getPerson(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/people/:id',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'updatePerson',
        summary: 'Change a person',
        tags,
        params: IdParams,
        body: PersonPatchBody,
        response: { 200: DataEnvelope(PersonSchema), ...problems(409) },
      },
    },
    async (request) => ({
      data: await people.updatePerson(tenantDbOf(request), actorOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/people/:id',
    {
      config: { permission: 'people:write' },
      schema: {
        operationId: 'deletePerson',
        summary: 'Delete a person',
        description: 'A person with giving history cannot be deleted (409).',
        tags,
        params: IdParams,
        response: { 204: NoContent, ...problems(409) },
      },
    },
    async (request, reply) => {
      await people.deletePerson(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.get(
    '/people/:id/attendance',
    {
      config: { permission: 'events:read' },
      schema: {
        operationId: 'listPersonAttendance',
        summary: "A person's attendance history",
        tags,
        params: IdParams,
        querystring: AttendanceHistoryQuery,
        response: { 200: PageEnvelope(PersonAttendance) },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      const p = paging(rest);
      const page = await personAttendance(tenantDbOf(request), request.params.id, { from, to, ...p });
      return pageBody(page, p.limit);
    },
  );
};
