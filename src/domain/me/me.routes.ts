import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { PasswordSchema, UserSchema } from '../users/users.schemas.js';
import { SessionSchema } from '../../http/auth.schemas.js';
import * as me from './me.service.js';

const tags = ['me'];
const config = { permission: 'self' as const };
const MeSchema = Type.Object({
  user: UserSchema,
  church: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
});

/** The caller's own account: read it, rename it, change its password. */
export const meRoutes: FastifyPluginAsyncTypebox<me.MeDeps> = async (app, deps) => {
  app.get(
    '/me',
    { config, schema: { tags, response: { 200: DataEnvelope(MeSchema) } } },
    async (request) => ({
      data: await me.getMe(tenantDbOf(request), deps, authOf(request)),
    }),
  );

  app.patch(
    '/me',
    {
      config,
      schema: {
        tags,
        // Only the name: role, email, ids or hashes in the body are a 400, never applied.
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
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
        tags,
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: PasswordSchema },
          { additionalProperties: false },
        ),
        response: { 200: DataEnvelope(SessionSchema) },
      },
    },
    async (request) => ({
      data: await me.changePassword(tenantDbOf(request), deps, authOf(request), request, request.body),
    }),
  );
};
