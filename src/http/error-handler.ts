import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { BurstLog } from './burst-log.js';
import { PROBLEM_CONTENT_TYPE, problemBody, sendProblem, toAppError } from './problem.js';

/** Installs the one error renderer and the 404 handler on the root instance. */
export function installErrorHandling(app: FastifyInstance) {
  const busy = new BurstLog();
  app.setErrorHandler((err, request, reply) => {
    const problem = toAppError(err);
    if (problem.status === 503) {
      // Busy or unavailable: expected under load and in bursts; one warning per burst and reason.
      busy.warn(
        request.log,
        busyReason(problem),
        { code: problem.code },
        'request refused: busy or unavailable',
      );
    } else if (problem.status >= 500) {
      request.log.error({ err, code: problem.code }, 'request failed');
    } else {
      request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    }
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new AppError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`),
    ),
  );
}

/** What made a 503: its code and message, and what lies under it (a tenant's reason, a driver's code). */
function busyReason(problem: AppError): string {
  const reason = (problem as { reason?: unknown }).reason;
  const cause = problem.cause as { code?: unknown; message?: unknown } | undefined;
  const under = typeof reason === 'string' ? reason : (cause?.code ?? cause?.message);
  return `${problem.code}: ${problem.message}${under === undefined ? '' : ` (${String(under)})`}`;
}

/**
 * Fastify's `frameworkErrors`: errors the router raises before any hook (a URL that does not
 * decode, a path parameter over `maxParamLength`) go through the same renderer.
 */
export function renderFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = toAppError(err);
  request.log.info({ code: problem.code, status: problem.status }, 'request rejected by the router');
  return sendProblem(request, reply, problem);
}

const CLIENT_ERRORS: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'HEADERS_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
};
const CLIENT_DETAILS: Partial<Record<ErrorCode, string>> = {
  HEADERS_TOO_LARGE: 'The request headers are too large.',
  REQUEST_TIMEOUT: 'The request was not received in time.',
  VALIDATION_FAILED: 'The request is not valid HTTP.',
};

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refuses (malformed, headers too large,
 * too slow) never becomes a Fastify request, so the problem is written on the socket here,
 * with a fresh request id, and the connection closed.
 */
export function renderClientError(err: NodeJS.ErrnoException, socket: Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code = CLIENT_ERRORS[err.code ?? ''] ?? 'VALIDATION_FAILED';
  const id = randomUUID();
  const problem = new AppError(code, CLIENT_DETAILS[code]);
  const body = JSON.stringify(problemBody(problem, id));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
