import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { IdParams, pageBody, paging } from '../route-helpers.js';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserSchema } from './users.schemas.js';
import * as users from './users.service.js';

const tags = ['users'];
const config = { permission: 'users:manage' as const };

function actor(request: FastifyRequest): users.UserActor {
  const auth = authOf(request);
  return { userId: auth.userId, tenantId: auth.tenantId, requestId: request.id };
}

/** /users: staff accounts and roles (admin only). */
export const userRoutes: FastifyPluginAsyncTypebox<users.UsersDeps> = async (app, deps) => {
  app.get(
    '/users',
    {
      config,
      schema: {
        operationId: 'listUsers',
        summary: 'List staff accounts',
        tags,
        querystring: ListUsersQuery,
        response: { 200: PageEnvelope(UserSchema) },
      },
    },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await users.listUsers(tenantDbOf(request), p), p.limit);
    },
  );

  app.post(
    '/users',
    {
      config,
      schema: {
        operationId: 'createUser',
        summary: 'Add a staff account',
        tags,
        body: CreateUserBody,
        response: { 201: DataEnvelope(UserSchema), ...problems(409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await users.addUser(tenantDbOf(request), deps, actor(request), request.body) };
    },
  );

  app.get(
    '/users/:id',
    {
      config,
      schema: {
        operationId: 'getUser',
        summary: 'Get a staff account',
        tags,
        params: IdParams,
        response: { 200: DataEnvelope(UserSchema) },
      },
    },
    async (request) => ({ data: await users.getUser(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/users/:id',
    {
      config,
      schema: {
        operationId: 'updateUser',
        summary: 'Rename a staff account or change its role',
        tags,
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: DataEnvelope(UserSchema), ...problems(409) },
      },
    },
    async (request) => ({
      data: await users.updateUser(
        tenantDbOf(request),
        deps,
        actor(request),
        request.params.id,
        request.body,
      ),
    }),
  );

  for (const [action, disabled, summary] of [
    ['disable', true, 'Disable a staff account (its sessions end)'],
    ['enable', false, 'Enable a disabled staff account'],
  ] as const) {
    app.post(
      `/users/:id/${action}`,
      {
        config,
        schema: {
          operationId: `${action}User`,
          summary,
          tags,
          params: IdParams,
          response: { 200: DataEnvelope(UserSchema), ...problems(409) },
        },
      },
      async (request) => ({
        data: await users.setDisabled(tenantDbOf(request), deps, actor(request), request.params.id, disabled),
      }),
    );
  }
};
