import { Type } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, Errors } from '../../src/errors/app-error.js';
import { createTestStack, type TestStack } from '../helpers/app.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack('sqlite');
  const app = stack.app;
  // Routes that exist only in this test, to drive every error path through the real renderer
  // (hidden: they are not part of the API).
  const hide = true;
  app.post(
    '/test/echo',
    {
      schema: {
        hide,
        body: Type.Object(
          { name: Type.String({ minLength: 1 }), amountCents: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object({ count: Type.Optional(Type.Integer({ minimum: 1 })) }),
      },
    },
    async (req) => ({ data: { body: req.body, query: req.query } }),
  );
  app.get('/test/boom', { schema: { hide } }, async () => {
    throw new Error('secret-token SELECT * FROM users /var/lib/secret');
  });
  app.get('/test/conflict', { schema: { hide } }, async () => {
    throw Errors.conflict('Slug is taken.');
  });
  app.get('/test/busy', { schema: { hide } }, async () => {
    throw new AppError('TENANT_UNAVAILABLE', 'The church database is temporarily unavailable.', {
      retryAfter: 3,
    });
  });
  await app.ready();
});
afterAll(() => stack.close());

const PROBLEM = /^application\/problem\+json/;

describe('HTTP contract', () => {
  it('echoes a safe x-request-id and replaces an unsafe one', async () => {
    const good = await stack.app.inject({ url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(good.headers['x-request-id']).toBe('abc-123');
    const bad = await stack.app.inject({
      url: '/api/health',
      headers: { 'x-request-id': 'a b\u0000<script>' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers liveness and readiness', async () => {
    const live = await stack.app.inject({ url: '/api/health' });
    expect(live.json()).toEqual({ data: { status: 'ok' } });
    const ready = await stack.app.inject({ url: '/api/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ data: { status: 'ready', checks: { catalog: 'up', redis: 'disabled' } } });
  });

  it('accepts a valid body with the success envelope', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/test/echo?count=5',
      payload: { name: 'a', amountCents: 100 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { body: { name: 'a', amountCents: 100 }, query: { count: 5 } } });
  });

  it('unknown route -> 404 NOT_FOUND problem', async () => {
    const res = await stack.app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    const body = res.json();
    expect(body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not found' });
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(body.type).toMatch(/not-found/);
  });

  it('malformed JSON -> 400 VALIDATION_FAILED', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/body' }] });
  });

  it('schema violations list every field; unknown properties are rejected, strings are not numbers', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: '', amountCents: '100', role: 'admin' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(['/body/amountCents', '/body/name', '/body/role']);
  });

  it('bad query parameter -> 400 with a query path', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/test/echo?count=0',
      payload: { name: 'a', amountCents: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '/query/count', message: expect.any(String) }]);
  });

  it('body over 1 MiB -> 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), amountCents: 1 }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
  });

  it('wrong content type -> 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const res = await stack.app.inject({
        method: 'POST',
        url: '/test/echo',
        headers: { 'content-type': type },
        payload: 'name=a',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it('unexpected error -> 500 INTERNAL without leaking the message', async () => {
    const res = await stack.app.inject({ url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'INTERNAL', detail: 'An unexpected error occurred.' });
    expect(res.body).not.toMatch(/secret|SELECT|\/var\/lib|at .*\.ts/);
  });

  it('app errors keep their code, and 503s carry Retry-After', async () => {
    const conflict = await stack.app.inject({ url: '/test/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'CONFLICT', detail: 'Slug is taken.' });
    const busy = await stack.app.inject({ url: '/test/busy' });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('3');
    expect(busy.json()).toMatchObject({ code: 'TENANT_UNAVAILABLE' });
  });

  it('serves an OpenAPI 3 document', async () => {
    const res = await stack.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/health/ready']));
    // Church routes declare the bearer token, operator routes the ops token; public ones none.
    expect(doc.paths['/api/people'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/ops/tenants'].get.security).toEqual([{ opsToken: [] }]);
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
  });

  it('framework errors are problems with a request id: path parameter too long, bad URL', async () => {
    for (const [url, status, code] of [
      [`/api/people/${'x'.repeat(120)}`, 414, 'URI_TOO_LONG'],
      ['/api/people/%zz', 400, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await stack.app.inject({ url });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const body = res.json();
      expect(body).toMatchObject({ status, code });
      expect(body.requestId).toBe(res.headers['x-request-id']);
      expect(res.body).not.toContain('xxxxxxxxxx'); // the URL is not echoed back
    }
  });

  it('an empty JSON body and a body of the wrong length are problems too', async () => {
    const empty = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toMatch(PROBLEM);
    expect(empty.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      requestId: empty.headers['x-request-id'],
    });
  });
});
