import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { clampPageLimit } from '../envelope.js';
import { type ProblemStatus, problemResponse } from './problem-responses.js';

// Methods whose body Fastify parses: each can meet bad JSON (400), a body too large (413) or a
// content type it does not take (415) before its handler runs.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SUCCESS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
};
/** verbNoun: a lower-case verb, then the thing it acts on (`listPeople`, `reverseDonation`). */
const OPERATION_ID = /^[a-z]+[A-Z][A-Za-z0-9]*$/;

type Responses = Record<string, unknown>;

/** Adds the problem statuses a route gets from the framework and scope, unless it declared them. */
export function declareProblems(route: RouteOptions, statuses: readonly ProblemStatus[]) {
  const response = { ...(route.schema?.response as Responses | undefined) };
  for (const s of statuses) response[s] ??= problemResponse(s);
  route.schema = { ...route.schema, response };
}

/** The problems any route can answer, from what it takes (path params, a query, a body). */
function frameworkProblems(route: RouteOptions): ProblemStatus[] {
  const schema = route.schema ?? {};
  const methods = [route.method].flat();
  const statuses: ProblemStatus[] = [500, 503];
  if (route.url.includes(':')) statuses.push(400, 404, 414);
  if (schema.querystring || schema.body) statuses.push(400);
  if (methods.some((m) => BODY_METHODS.has(m))) statuses.push(400, 413, 415);
  return statuses;
}

/** Success responses without a description get the status text (the document requires one). */
function describeSuccess(schema: FastifySchema) {
  const response = schema.response as Responses | undefined;
  for (const [status, entry] of Object.entries(response ?? {})) {
    const text = SUCCESS_TEXT[status];
    const e = entry as { description?: string; 'x-response-description'?: string };
    if (text && !e.description && !e['x-response-description'])
      response![status] = { ...e, 'x-response-description': text };
  }
}

function completenessErrors(routes: readonly RouteOptions[]): string[] {
  const errors: string[] = [];
  const ids = new Map<string, string>();
  for (const route of routes) {
    const s = route.schema ?? {};
    const name = `${[route.method].flat().join(',')} ${route.url}`;
    if (!s.operationId || !OPERATION_ID.test(s.operationId))
      errors.push(`${name}: operationId must be verbNoun`);
    else if (ids.has(s.operationId))
      errors.push(`${name}: operationId ${s.operationId} is also ${ids.get(s.operationId)}'s`);
    else ids.set(s.operationId, name);
    if (!s.summary) errors.push(`${name}: no summary`);
    if (s.tags?.length !== 1) errors.push(`${name}: needs exactly one tag (its module)`);
    if (!s.security) errors.push(`${name}: no security (public routes say \`security: []\`)`);
  }
  return errors;
}

/**
 * The API's route conventions, installed on the root before any route:
 * - every route gets the problem responses the framework can produce for it (400, 404, 413,
 *   414, 415, 500, 503 as they apply); scopes add theirs (tenant-context.ts: 401, 403), and
 *   routes declare their own (`...problems(409)`);
 * - paging routes (a `limit` in the query) clamp it into 1..200 before validation;
 * - at ready, every documented route must have a verbNoun `operationId`, a `summary`, one tag
 *   and a `security` (`[]` when public), or the app refuses to start.
 */
export function installRouteConventions(app: FastifyInstance) {
  const documented: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    const query = route.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
    if (query?.properties?.limit) route.preValidation = [clampPageLimit, route.preValidation ?? []].flat();
    if (route.schema?.hide || route.method === 'HEAD') return;
    declareProblems(route, frameworkProblems(route));
    describeSuccess(route.schema!);
    documented.push(route);
  });
  app.addHook('onReady', async () => {
    const errors = completenessErrors(documented);
    if (errors.length) throw new Error(`Routes break the API conventions:\n${errors.join('\n')}`);
  });
}
