import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../errors/app-error.js';
import { declareProblems } from './openapi/route-conventions.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

// Compare digests: equal lengths for timingSafeEqual, and no early exit on the first byte.
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards operator routes: `Authorization: Bearer $OPS_TOKEN` when OPS_TOKEN is set; otherwise
 * only loopback clients. Uses the socket address, never X-Forwarded-For, so a proxy header cannot
 * make a remote client look local.
 */
export function opsGuard(opsToken: string | undefined) {
  const expected = opsToken ? digest(opsToken) : undefined;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!expected) {
      if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
        throw Errors.forbidden('Operator routes answer only to loopback clients while OPS_TOKEN is unset.');
      }
      return;
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) throw Errors.unauthenticated();
  };
}

/**
 * Guards every route of `scope` with the operator token (call before registering them), and says
 * so in the document: the `opsToken` scheme, and its 401/403.
 */
export function installOpsGuard(scope: FastifyInstance, opsToken: string | undefined): void {
  scope.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ opsToken: [] }] };
    declareProblems(route, [401, 403]);
  });
  // Before body validation: a caller without the token learns nothing about what a route accepts.
  scope.addHook('onRequest', opsGuard(opsToken));
}
