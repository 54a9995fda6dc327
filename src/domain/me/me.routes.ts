import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { PasswordSchema, UserSchema } from '../users/users.schemas.js';
import { ChurchSummary, SessionResponse } from '../../auth/auth.schemas.js';
import * as me from './me.service.js';

const tags = ['me'];
const config = { permission: 'self' as const };
const MeSchema = named('Me', Type.Object({ user: UserSchema, church: ChurchSummary }));

/** The caller's own account: read it, rename it, change its password. */
export const meRoutes: FastifyPluginAsyncTypebox<me.MeDeps> = async (app, deps) => {
  app.get(
    '/me',
    {
      config,
      schema: {
        operationId: 'getMe',
        summary: 'My account',
        tags,
        response: { 200: DataEnvelope(MeSchema) },
      },
    },
    async (request) => ({
      data: await me.getMe(tenantDbOf(request), deps, authOf(request)),
    }),
  );

  app.patch(
    '/me',
    {
      config,
      schema: {
        operationId: 'updateMe',
        summary: 'Rename my account',
        tags,
        // Only the name: role, email, ids or hashes in the body are a 400, never applied.
        body: named(
          'MePatch',
          Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 200 }) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: DataEnvelope(MeSchema) },
      },
    },
    async (request) => ({
      data: await me.renameMe(tenantDbOf(request), deps, authOf(request), request.id, request.body.name),
    }),
  );

  app.post(
    '/me/password',
    {
      config,
      schema: {
        operationId: 'changePassword',
        summary: 'Change my password',
        description: 'Ends every other session and returns a new one.',
        tags,
        body: named(
          'PasswordChange',
          Type.Object(
            { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: PasswordSchema },
            { additionalProperties: false },
          ),
        ),
        response: { 200: SessionResponse, ...problems(429) },
      },
    },
    async (request, reply) => {
      const session = await me.changePassword(
        tenantDbOf(request),
        deps,
        authOf(request),
        request,
        request.body,
      );
      reply.header('cache-control', 'no-store');
      return { data: session };
    },
  );
};
