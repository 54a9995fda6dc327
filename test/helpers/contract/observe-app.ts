import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_PAGES } from '../../../src/http/console.routes.js';
import { ApiContract, type Exchange } from './api-contract.js';
import { recordCheck, recordViolation } from './contract-log.js';

/**
 * Routes left out of the document on purpose: the reference UI's assets, the staff console's
 * pages and assets (not API), and routes a test registers for itself (under /test/). Any other
 * hidden route is a violation.
 */
const CONSOLE_PAGE = new RegExp(`^/(${CONSOLE_PAGES.join('|')})?(/\\*)?$`);
const HIDDEN_ALLOWED = [/^\/api\/docs(\/|$)/, /^\/test\//, /^\/assets\//, CONSOLE_PAGE];

// On a real socket Fastify hands its headers to writeHead(), which Node does not keep for
// getHeaders() unless some header was set with setHeader() first: read Fastify's own as well.
function headersOf(reply: FastifyReply): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries({ ...reply.raw.getHeaders(), ...reply.getHeaders() }).map(([k, v]) => [
      k.toLowerCase(),
      v === undefined ? v : String(v),
    ]),
  );
}

/**
 * The `instrument` hook tests pass to buildApp (test/helpers/app.ts): every answer of the app,
 * success or error, is checked against the app's own OpenAPI document as it is sent.
 */
export function observeApiContract(app: FastifyInstance): void {
  let contract: ApiContract | undefined;
  const contractOf = () => {
    contract ??= new ApiContract(app.swagger() as Record<string, unknown>);
    return contract;
  };
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD' && route.schema?.hide && !HIDDEN_ALLOWED.some((r) => r.test(route.url)))
      recordViolation(`${route.method} ${route.url} is hidden from the document`);
  });
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (request.method === 'HEAD' || request.routeOptions.schema?.hide) return done(null, payload);
    let body = '';
    // Checked once sent: status and headers are final (later onSend hooks may still add headers).
    reply.raw.once('finish', () => {
      const exchange: Exchange = {
        method: request.method,
        path: request.url.split('?')[0]!,
        route: request.routeOptions.url,
        status: reply.statusCode,
        headers: headersOf(reply),
        body,
        credentials: request.headers.authorization !== undefined,
      };
      const c = contractOf();
      recordCheck(c.check(exchange), exchange.status, () => c.operations());
    });
    if (payload instanceof Readable) {
      // A streamed body (the export) is checked once it has all gone through.
      const chunks: Buffer[] = [];
      const tee = new PassThrough();
      tee.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      tee.on('end', () => {
        body = Buffer.concat(chunks).toString('utf8');
      });
      payload.pipe(tee);
      return done(null, tee);
    }
    body = payload === null || payload === undefined ? '' : String(payload);
    done(null, payload);
  });
}
