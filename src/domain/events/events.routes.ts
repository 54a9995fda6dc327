import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, Nullable, pageBody, paging, pagingQuery } from '../route-helpers.js';
import * as attendance from './attendance.service.js';
import * as events from './events.service.js';

const tags = ['events'];
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });
const optional = {
  endsAt: Type.Optional(Nullable(Instant)),
  groupId: Type.Optional(Nullable(Id)),
  location: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
};
const S = Nullable(Type.String());
const EventSchema = named(
  'Event',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    startsAt: Type.String(),
    endsAt: S,
    groupId: S,
    location: S,
    headcount: Nullable(Type.Integer()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);
const AttendanceSchema = named(
  'Attendance',
  Type.Object({ personId: Type.String(), checkedInAt: Type.String(), checkedInBy: S }),
);
const PersonParams = Type.Object({ id: Id, personId: Id }, { additionalProperties: false });

/** /events, attendance (check-in) and headcount. */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events',
    {
      config: { permission: 'events:read' },
      schema: {
        operationId: 'listEvents',
        summary: 'List events',
        tags,
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 40 })),
            to: Type.Optional(Type.String({ maxLength: 40 })),
            groupId: Type.Optional(Id),
            ...pagingQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageEnvelope(EventSchema) },
      },
    },
    async (request) => {
      const { from, to, groupId } = request.query;
      const p = paging(request.query);
      return pageBody(await events.listEvents(tenantDbOf(request), { from, to, groupId, ...p }), p.limit);
    },
  );

  app.post(
    '/events',
    {
      config: { permission: 'events:write' },
      schema: {
        operationId: 'createEvent',
        summary: 'Add an event',
        tags,
        body: named(
          'EventInput',
          Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 200 }), startsAt: Instant, ...optional },
            { additionalProperties: false },
          ),
        ),
        response: { 201: DataEnvelope(EventSchema), ...problems(404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await events.createEvent(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/events/:id',
    {
      config: { permission: 'events:read' },
      schema: {
        operationId: 'getEvent',
        summary: 'Get an event',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(EventSchema) },
      },
    },
    async (request) => ({ data: await events.getEvent(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/events/:id',
    {
      config: { permission: 'events:write' },
      schema: {
        operationId: 'updateEvent',
        summary: 'Change an event',
        tags,
        params: IdParams,
        body: named(
          'EventPatch',
          Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              startsAt: Type.Optional(Instant),
              ...optional,
            },
            { additionalProperties: false, minProperties: 1 },
          ),
        ),
        response: { 200: DataEnvelope(EventSchema) },
      },
    },
    async (request) => ({
      data: await events.updateEvent(tenantDbOf(request), actorOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/events/:id',
    {
      config: { permission: 'events:write' },
      schema: {
        operationId: 'deleteEvent',
        summary: 'Delete an event and its attendance',
        tags,
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await events.deleteEvent(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.put(
    '/events/:id/headcount',
    {
      config: { permission: 'attendance:write' },
      schema: {
        operationId: 'setEventHeadcount',
        summary: "Set an event's headcount",
        description: 'The number of people present, counted rather than checked in; null clears it.',
        tags,
        params: IdParams,
        body: named(
          'HeadcountInput',
          Type.Object(
            { count: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: DataEnvelope(EventSchema) },
      },
    },
    async (request) => ({
      data: await events.setHeadcount(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body.count,
      ),
    }),
  );

  app.get(
    '/events/:id/attendance',
    {
      config: { permission: 'events:read' },
      schema: {
        operationId: 'listEventAttendance',
        summary: "An event's attendance",
        tags,
        params: IdParams,
        querystring: Type.Object(pagingQuery, { additionalProperties: false }),
        response: { 200: PageEnvelope(AttendanceSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await attendance.listAttendance(tenantDbOf(request), request.params.id, p), p.limit);
    },
  );

  app.post(
    '/events/:id/attendance',
    {
      config: { permission: 'attendance:write' },
      schema: {
        operationId: 'checkInPeople',
        summary: 'Check people in to an event',
        description: 'Idempotent per person: someone already checked in is counted, not duplicated.',
        tags,
        params: IdParams,
        // Bounded so one request stays one short transaction.
        body: named(
          'CheckInInput',
          Type.Object(
            { personIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: Type.Object({
            data: Type.Array(AttendanceSchema),
            meta: named(
              'CheckInCounts',
              Type.Object({ checkedIn: Type.Integer(), alreadyCheckedIn: Type.Integer() }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const res = await attendance.checkIn(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.body.personIds,
      );
      reply.status(201);
      return { data: res.items, meta: { checkedIn: res.checkedIn, alreadyCheckedIn: res.alreadyCheckedIn } };
    },
  );

  app.delete(
    '/events/:id/attendance/:personId',
    {
      config: { permission: 'attendance:write' },
      schema: {
        operationId: 'undoCheckIn',
        summary: "Undo a person's check-in",
        tags,
        params: PersonParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await attendance.undoCheckIn(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.params.personId,
      );
      reply.status(204).send();
    },
  );
};
