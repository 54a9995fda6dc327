import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth.service.js';
import { AppError, Errors } from '../errors/app-error.js';
import { DataEnvelope } from './envelope.js';
import { SessionSchema } from './auth.schemas.js';
import { authOf } from './request-context.js';

const tags = ['auth'];

/** A catalog or driver failure during login/refresh is a 503 to retry, never a 500 or a pass. */
async function failClosed<T>(request: FastifyRequest, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof AppError) throw err;
    request.log.error({ err }, 'authentication failed on a dependency');
    throw Errors.serviceUnavailable('Authentication is temporarily unavailable.');
  }
}

export interface AuthRoutesOptions {
  service: AuthService;
}

/** Login and refresh: public, throttled by failures per client IP and per account. */
export const authPublicRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { service }) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        body: Type.Object(
          {
            church: Type.String({ minLength: 1, maxLength: 100 }),
            email: Type.String({ minLength: 1, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: DataEnvelope(SessionSchema) },
      },
    },
    async (request) => ({ data: await failClosed(request, service.login(request.body, request.ip)) }),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags,
        body: Type.Object(
          { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: DataEnvelope(SessionSchema) },
      },
    },
    async (request) => ({
      data: await failClosed(request, service.refresh(request.body.refreshToken, request.ip)),
    }),
  );
};

/** Logout routes: registered inside the tenant-context scope (they need a verified token). */
export const authSessionRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { service }) => {
  const config = { permission: 'self' as const };
  app.post('/auth/logout', { config, schema: { tags } }, async (request, reply) => {
    await service.logout(authOf(request));
    reply.status(204).send();
  });
  app.post('/auth/logout-all', { config, schema: { tags } }, async (request, reply) => {
    const auth = authOf(request);
    await service.logoutAll(auth.tenantId, auth.userId);
    reply.status(204).send();
  });
};
