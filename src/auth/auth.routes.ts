import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AuthService } from './auth.service.js';
import { AppError, Errors } from '../errors/app-error.js';
import { SessionResponse } from './auth.schemas.js';
import { named } from '../http/openapi/named-schema.js';
import { problems } from '../http/openapi/problem-responses.js';
import { NoContent } from '../http/openapi/schema-helpers.js';
import { authOf } from '../http/request-context.js';
import { toAppError } from '../http/problem.js';
import { isUnstorableText } from '../infra/db/errors.js';

const tags = ['auth'];

const LoginInput = named(
  'LoginInput',
  Type.Object(
    {
      church: Type.String({ minLength: 1, maxLength: 100, description: "The church's slug." }),
      email: Type.String({ minLength: 1, maxLength: 254 }),
      password: Type.String({ minLength: 1, maxLength: 200 }),
    },
    { additionalProperties: false },
  ),
);
const RefreshInput = named(
  'RefreshInput',
  Type.Object(
    { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
);

/** A catalog or driver failure during login/refresh is a 503 to retry, never a 500 or a pass. */
async function failClosed<T>(request: FastifyRequest, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A refusal of the input itself (text the database cannot store) stays a 400.
    if (isUnstorableText(err)) throw toAppError(err);
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
        operationId: 'createSession',
        summary: 'Log in',
        description:
          'Email and password at one church. Failures are throttled per client and per account (429).',
        tags,
        security: [],
        body: LoginInput,
        response: { 200: SessionResponse, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const session = await failClosed(request, service.login(request.body, request.ip));
      reply.header('cache-control', 'no-store');
      return { data: session };
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        operationId: 'refreshSession',
        summary: 'Refresh a session',
        description: 'Trades a refresh token for a new pair; replaying an old one revokes the whole family.',
        tags,
        security: [],
        body: RefreshInput,
        response: { 200: SessionResponse, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const session = await failClosed(request, service.refresh(request.body.refreshToken, request.ip));
      reply.header('cache-control', 'no-store');
      return { data: session };
    },
  );
};

/** Logout routes: registered inside the tenant-context scope (they need a verified token). */
export const authSessionRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { service }) => {
  const config = { permission: 'self' as const };
  const response = { 204: NoContent };
  app.post(
    '/auth/logout',
    { config, schema: { operationId: 'endSession', summary: 'Log out', tags, response } },
    async (request, reply) => {
      await service.logout(authOf(request));
      reply.status(204).send();
    },
  );
  app.post(
    '/auth/logout-all',
    {
      config,
      schema: {
        operationId: 'endAllSessions',
        summary: 'Log out everywhere',
        description: "Revokes every session of the caller's account.",
        tags,
        response,
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      await service.logoutAll(auth.tenantId, auth.userId);
      reply.status(204).send();
    },
  );
};
