import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { sendProblem, toAppError } from './problem.js';

/** Installs the one error renderer and the 404 handler on the root instance. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const problem = toAppError(err);
    if (problem.status >= 500) {
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
