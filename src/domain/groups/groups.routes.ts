import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { tenantDbOf } from '../../http/request-context.js';
import { actorOf, IdParams, Nullable, pageBody, paging, pagingQuery, StringEnum } from '../route-helpers.js';
import * as groups from './groups.service.js';
import { GROUP_ROLES } from './groups.table.js';
import { multiline } from '../../http/text-rules.js';

const tags = ['groups'];
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.Optional(Nullable(multiline(Type.String({ maxLength: 5000 }))));
const Role = named('GroupRole', StringEnum(GROUP_ROLES));
const GroupSchema = named(
  'Group',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);
const MemberSchema = named(
  'GroupMember',
  Type.Object({
    personId: Type.String(),
    role: Role,
    firstName: Type.String(),
    lastName: Type.String(),
    preferredName: Nullable(Type.String()),
    addedAt: Type.String(),
  }),
);
const MemberParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    personId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

/** /groups and their members. */
export const groupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/groups',
    {
      config: { permission: 'groups:read' },
      schema: {
        operationId: 'listGroups',
        summary: 'List groups',
        tags,
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 200 })), ...pagingQuery },
          { additionalProperties: false },
        ),
        response: { 200: PageEnvelope(GroupSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await groups.listGroups(tenantDbOf(request), { q: request.query.q, ...p }), p.limit);
    },
  );

  app.post(
    '/groups',
    {
      config: { permission: 'groups:write' },
      schema: {
        operationId: 'createGroup',
        summary: 'Add a group',
        tags,
        body: named(
          'GroupInput',
          Type.Object({ name: Name, description: Description }, { additionalProperties: false }),
        ),
        response: { 201: DataEnvelope(GroupSchema), ...problems(409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await groups.createGroup(tenantDbOf(request), actorOf(request), request.body) };
    },
  );

  app.get(
    '/groups/:id',
    {
      config: { permission: 'groups:read' },
      schema: {
        operationId: 'getGroup',
        summary: 'Get a group',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(GroupSchema) },
      },
    },
    async (request) => ({ data: await groups.getGroup(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/groups/:id',
    {
      config: { permission: 'groups:write' },
      schema: {
        operationId: 'updateGroup',
        summary: 'Change a group',
        tags,
        params: IdParams,
        body: named(
          'GroupPatch',
          Type.Object(
            { name: Type.Optional(Name), description: Description },
            { additionalProperties: false, minProperties: 1 },
          ),
        ),
        response: { 200: DataEnvelope(GroupSchema), ...problems(409) },
      },
    },
    async (request) => ({
      data: await groups.updateGroup(tenantDbOf(request), actorOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/groups/:id',
    {
      config: { permission: 'groups:write' },
      schema: {
        operationId: 'deleteGroup',
        summary: 'Delete a group',
        tags,
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await groups.deleteGroup(tenantDbOf(request), actorOf(request), request.params.id);
      reply.status(204).send();
    },
  );

  app.get(
    '/groups/:id/members',
    {
      config: { permission: 'groups:read' },
      schema: {
        operationId: 'listGroupMembers',
        summary: "A group's members",
        tags,
        params: IdParams,
        querystring: Type.Object(
          { role: Type.Optional(Role), ...pagingQuery },
          { additionalProperties: false },
        ),
        response: { 200: PageEnvelope(MemberSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      const page = await groups.listGroupMembers(tenantDbOf(request), request.params.id, {
        role: request.query.role,
        ...p,
      });
      return pageBody(page, p.limit);
    },
  );

  app.get(
    '/people/:id/groups',
    {
      config: { permission: 'groups:read' },
      schema: {
        operationId: 'listPersonGroups',
        summary: "A person's groups",
        tags,
        params: IdParams,
        response: {
          200: DataEnvelope(
            Type.Array(
              named(
                'PersonGroup',
                Type.Object({
                  groupId: Type.String(),
                  name: Type.String(),
                  role: Role,
                  addedAt: Type.String(),
                }),
              ),
            ),
          ),
          ...problems(404),
        },
      },
    },
    async (request) => ({ data: await groups.personGroups(tenantDbOf(request), request.params.id) }),
  );

  app.post(
    '/groups/:id/members',
    {
      config: { permission: 'groups:write' },
      schema: {
        operationId: 'addGroupMember',
        summary: 'Add a person to a group',
        tags,
        params: IdParams,
        body: named(
          'GroupMemberInput',
          Type.Object(
            {
              personId: Type.String({ minLength: 1, maxLength: 100 }),
              role: Type.Optional(Role),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: DataEnvelope(
            named(
              'GroupMembership',
              Type.Object({
                groupId: Type.String(),
                personId: Type.String(),
                role: Role,
                addedAt: Type.String(),
              }),
            ),
          ),
          ...problems(409),
        },
      },
    },
    async (request, reply) => {
      const member = await groups.addGroupMember(tenantDbOf(request), actorOf(request), request.params.id, {
        personId: request.body.personId,
        role: request.body.role ?? 'member',
      });
      reply.status(201);
      return { data: member };
    },
  );

  app.delete(
    '/groups/:id/members/:personId',
    {
      config: { permission: 'groups:write' },
      schema: {
        operationId: 'removeGroupMember',
        summary: 'Remove a person from a group',
        tags,
        params: MemberParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await groups.removeGroupMember(
        tenantDbOf(request),
        actorOf(request),
        request.params.id,
        request.params.personId,
      );
      reply.status(204).send();
    },
  );
};
