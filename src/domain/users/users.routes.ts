import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DataEnvelope, PageEnvelope } from '../../http/envelope.js';
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
    { config, schema: { tags, querystring: ListUsersQuery, response: { 200: PageEnvelope(UserSchema) } } },
    async (request) => {
      const p = paging(request.query);
      return pageBody(await users.listUsers(tenantDbOf(request), p), p.limit);
    },
  );

  app.post(
    '/users',
    { config, schema: { tags, body: CreateUserBody, response: { 201: DataEnvelope(UserSchema) } } },
    async (request, reply) => {
      reply.status(201);
      return { data: await users.addUser(tenantDbOf(request), deps, actor(request), request.body) };
    },
  );

  app.get(
    '/users/:id',
    { config, schema: { tags, params: IdParams, response: { 200: DataEnvelope(UserSchema) } } },
    async (request) => ({ data: await users.getUser(tenantDbOf(request), request.params.id) }),
  );

  app.patch(
    '/users/:id',
    {
      config,
      schema: { tags, params: IdParams, body: UpdateUserBody, response: { 200: DataEnvelope(UserSchema) } },
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

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/users/:id/${action}`,
      {
        config,
        schema: { tags, params: IdParams, response: { 200: DataEnvelope(UserSchema) } },
      },
      async (request) => ({
        data: await users.setDisabled(tenantDbOf(request), deps, actor(request), request.params.id, disabled),
      }),
    );
  }
};
