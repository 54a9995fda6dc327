import cookie from '@fastify/cookie';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, Session } from './auth.service.js';
import { AppError, Errors } from '../errors/app-error.js';
import { SessionResponse } from './auth.schemas.js';
import { named } from '../http/openapi/named-schema.js';
import { problems } from '../http/openapi/problem-responses.js';
import { NoContent, optionalBody, withHeaders } from '../http/openapi/schema-helpers.js';
import {
  clearRefreshCookie,
  refreshCookieOf,
  SET_REFRESH_COOKIE,
  setRefreshCookie,
} from '../http/refresh-cookie.js';
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
      refreshCookie: Type.Optional(
        Type.Boolean({
          description:
            'A browser session: the refresh token is set as an httpOnly cookie and left out of the body.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);
const RefreshInput = optionalBody(
  named(
    'RefreshInput',
    Type.Object(
      {
        refreshToken: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'Left out by a browser session, whose refresh token is in its cookie.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ),
);

/** Login and refresh answers: the session, and for a browser its refresh cookie. */
export const SessionWithCookie = withHeaders(SessionResponse, SET_REFRESH_COOKIE);

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
  /** Refresh cookies carry `Secure` (production: the site is served over HTTPS). */
  secureCookies: boolean;
}

/** A browser session's answer: the refresh token goes into the cookie, not the body. */
export function answerSession(reply: FastifyReply, session: Session, inCookie: boolean, secure: boolean) {
  reply.header('cache-control', 'no-store');
  if (!inCookie) return { data: session };
  setRefreshCookie(reply, session.refreshToken, secure);
  const { refreshToken: _, ...rest } = session;
  return { data: rest };
}

/** Login and refresh: public, throttled by failures per client IP and per account. */
export const authPublicRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (
  app,
  { service, secureCookies },
) => {
  await app.register(cookie);
  app.post(
    '/auth/login',
    {
      schema: {
        operationId: 'createSession',
        summary: 'Log in',
        description:
          'Email and password at one church. Failures are throttled per client and per account (429). ' +
          'With `refreshCookie: true` (browsers) the refresh token comes as an httpOnly cookie instead of in the body.',
        tags,
        security: [],
        body: LoginInput,
        response: { 200: SessionWithCookie, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { refreshCookie, ...credentials } = request.body;
      const session = await failClosed(request, service.login(credentials, request.ip));
      return answerSession(reply, session, refreshCookie === true, secureCookies);
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        operationId: 'refreshSession',
        summary: 'Refresh a session',
        description:
          'Trades a refresh token for a new pair; replaying an old one revokes the whole family. ' +
          'A browser session leaves the body out: its token is read from, and rotated in, the refresh cookie.',
        tags,
        security: [],
        body: RefreshInput,
        response: { 200: SessionWithCookie, ...problems(401, 403, 429) },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const fromBody = request.body.refreshToken;
      const token = fromBody ?? refreshCookieOf(request);
      if (token === undefined) throw Errors.unauthenticated();
      const session = await failClosed(request, service.refresh(token, request.ip));
      return answerSession(reply, session, fromBody === undefined, secureCookies);
    },
  );
};

/** Logout routes: registered inside the tenant-context scope (they need a verified token). */
export const authSessionRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (
  app,
  { service, secureCookies },
) => {
  await app.register(cookie);
  const config = { permission: 'self' as const };
  // Both also end a browser's refresh cookie.
  const response = { 204: withHeaders(NoContent, SET_REFRESH_COOKIE) };
  app.post(
    '/auth/logout',
    { config, schema: { operationId: 'endSession', summary: 'Log out', tags, response } },
    async (request, reply) => {
      await service.logout(authOf(request));
      clearRefreshCookie(reply, secureCookies);
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
      clearRefreshCookie(reply, secureCookies);
      reply.status(204).send();
    },
  );
};
