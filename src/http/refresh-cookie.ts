import type { FastifyReply, FastifyRequest } from 'fastify';
import { REFRESH_TOKEN_TTL_MS } from '../auth/refresh-token.repository.js';
import type { HeaderSpec } from './openapi/schema-helpers.js';

/**
 * Browser sessions keep the refresh token in an httpOnly cookie, out of reach of page scripts.
 * Its path is the auth routes only, so no other request carries it; SameSite=Strict keeps other
 * sites from spending it (a cross-site refresh would only mint a token the attacker cannot read).
 */
export const REFRESH_COOKIE = 'steeple_refresh';
const COOKIE_PATH = '/api/auth';

/** The `Set-Cookie` header of the routes that set or clear the refresh cookie. */
export const SET_REFRESH_COOKIE: Record<string, HeaderSpec> = {
  'set-cookie': {
    schema: { type: 'string' },
    description: `Browser sessions: the \`${REFRESH_COOKIE}\` refresh cookie (HttpOnly, SameSite=Strict, Path=${COOKIE_PATH}, Secure in production), set or cleared.`,
  },
};

/** Sets the rotated refresh token as the session cookie. */
export function setRefreshCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: COOKIE_PATH,
    maxAge: Math.floor(REFRESH_TOKEN_TTL_MS / 1000),
  });
}

/** Ends the browser session's cookie (logout). */
export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH });
}

/** The refresh token a browser sent in its cookie, if any. */
export function refreshCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[REFRESH_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}
