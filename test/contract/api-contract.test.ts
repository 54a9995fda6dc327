import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { ApiContract, type Exchange } from '../helpers/contract/api-contract.js';
import { takeViolations } from '../helpers/contract/contract-log.js';
import { ROOT } from '../helpers/process.js';

let stack: TestStack;
let contract: ApiContract;

beforeAll(async () => {
  stack = await createTestStack('sqlite');
  contract = new ApiContract((await stack.app.inject({ url: '/api/openapi.json' })).json());
});
afterAll(() => stack.close());

const PROBLEM = { 'content-type': 'application/problem+json; charset=utf-8' };
const problem = (status: number, code: string) =>
  JSON.stringify({ type: 'urn:x', title: 't', status, detail: 'd', code, requestId: 'r' });
const person = {
  id: 'p1',
  firstName: 'Ada',
  middleName: null,
  lastName: 'Lovelace',
  suffix: null,
  preferredName: null,
  email: null,
  phone: null,
  otherEmails: [],
  otherPhones: [],
  birthDate: null,
  gender: null,
  membershipStatus: 'member',
  householdId: null,
  householdRole: null,
  externalIds: [],
  customFields: {},
  notes: null,
  createdAt: 'now',
  updatedAt: 'now',
};
const exchange = (over: Partial<Exchange>): Exchange => ({
  method: 'GET',
  path: '/api/people/p1',
  route: '/api/people/:id',
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ data: person }),
  credentials: true,
  ...over,
});

describe('the contract check (test/helpers/contract)', () => {
  it('passes an answer the document allows', () => {
    expect(contract.check(exchange({}))).toEqual({ operation: 'GET /api/people/{id}', violations: [] });
    const notFound = exchange({ status: 404, headers: PROBLEM, body: problem(404, 'NOT_FOUND') });
    expect(contract.check(notFound).violations).toEqual([]);
  });

  it('fails an undeclared status, a body off its schema, and an undeclared content type', () => {
    const conflict = exchange({ status: 409, headers: PROBLEM, body: problem(409, 'CONFLICT') });
    expect(contract.check(conflict).violations[0]).toMatch(/status not declared/);
    const loose = exchange({ body: JSON.stringify({ data: { ...person, membershipStatus: 'friend' } }) });
    expect(contract.check(loose).violations[0]).toMatch(/does not match its schema/);
    const unknownCode = exchange({ status: 404, headers: PROBLEM, body: problem(404, 'GONE') });
    expect(contract.check(unknownCode).violations[0]).toMatch(/does not match its schema/);
    const html = exchange({ headers: { 'content-type': 'text/html' }, body: '<p>' });
    expect(contract.check(html).violations[0]).toMatch(/content type text\/html not declared/);
  });

  it('fails contract headers sent undeclared, required headers missing, and a 2xx without credentials', () => {
    const cached = exchange({
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
    });
    expect(contract.check(cached).violations).toEqual([
      expect.stringMatching(/cache-control sent but not declared/),
    ]);
    const busy = exchange({ status: 503, headers: PROBLEM, body: problem(503, 'SERVICE_UNAVAILABLE') });
    expect(contract.check(busy).violations).toEqual([
      expect.stringMatching(/required header retry-after missing/),
    ]);
    expect(contract.check(exchange({ credentials: false })).violations[0]).toMatch(/without credentials/);
  });

  it('fails a route missing from the document, and a routeless answer that is not a problem', () => {
    const hidden = exchange({ route: '/api/secret', path: '/api/secret' });
    expect(contract.check(hidden).violations).toEqual(['GET /api/secret is not in the document']);
    const stray = exchange({ route: undefined, path: '/api/nowhere', status: 200 });
    expect(contract.check(stray).violations[0]).toMatch(/an undocumented route answered/);
    const noRoute = exchange({
      route: undefined,
      path: '/api/nowhere',
      status: 404,
      headers: PROBLEM,
      body: problem(404, 'NOT_FOUND'),
    });
    expect(contract.check(noRoute)).toEqual({ operation: null, violations: [] });
  });

  it('matches concrete paths to templates when the server does not say (spawned servers)', () => {
    const page = exchange({
      route: undefined,
      path: '/api/people/p1/giving-statement.html',
      status: 401,
      headers: PROBLEM,
      body: problem(401, 'UNAUTHENTICATED'),
    });
    expect(contract.check(page).operation).toBe('GET /api/people/{id}/giving-statement.html');
  });
});

describe('routes and the document', () => {
  it('a route without operationId, summary, tag or security stops the app from starting', async () => {
    const s = await createTestStack('sqlite');
    try {
      s.app.get('/api/undeclared', async () => ({ data: 1 }));
      await expect(s.app.ready()).rejects.toThrow(/GET \/api\/undeclared: operationId must be verbNoun/);
    } finally {
      await s.close().catch(() => {});
    }
  });

  it('a route hidden from the document is reported unless it is one of the known hidden ones', async () => {
    const s = await createTestStack('sqlite');
    try {
      s.app.get('/api/secret', { schema: { hide: true } }, async () => ({ data: 1 }));
      await s.app.ready();
      expect(takeViolations()).toEqual(['GET /api/secret is hidden from the document']);
    } finally {
      await s.close();
    }
  });

  it('every operation carries a verbNoun operationId, a summary, one tag and its security', () => {
    const ops = Object.values(
      contract.doc.paths as Record<string, Record<string, Record<string, unknown>>>,
    ).flatMap((item) => Object.values(item));
    expect(ops.length).toBeGreaterThanOrEqual(90);
    for (const op of ops) {
      expect(op.operationId).toMatch(/^[a-z]+[A-Z]\w*$/);
      expect(op.summary).toEqual(expect.any(String));
      expect(op.tags).toHaveLength(1);
      expect(Array.isArray(op.security)).toBe(true);
    }
  });

  it('no test builds the app without the contract check', () => {
    const files = fs.readdirSync(path.join(ROOT, 'test'), { recursive: true, encoding: 'utf8' });
    const direct = files.filter(
      (f) =>
        f.endsWith('.ts') &&
        f !== path.join('helpers', 'app.ts') &&
        /\bbuildApp\(/.test(
          fs.readFileSync(path.join(ROOT, 'test', f), 'utf8').replace(/\/\/.*$|\*.*$/gm, ''),
        ),
    );
    expect(direct).toEqual([]);
  });
});

describe('the API reference at /api/docs', () => {
  it('is a page of same-origin scripts under a strict route-scoped CSP, reading the document', async () => {
    const page = await stack.app.inject({ url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, inline] of scripts) {
      expect(attrs).toMatch(/src="\.?\/?[^":]*"/); // relative: this origin
      expect(inline!.trim()).toBe('');
    }
    const init = await stack.app.inject({ url: '/api/docs/static/swagger-initializer.js' });
    expect(init.headers['content-security-policy']).toBe(csp);
    const doc = await stack.app.inject({ url: '/api/docs/json' });
    expect(doc.json().paths['/api/people']).toBeDefined();
    // Routes outside the reference keep no such policy (the console sets its own).
    expect(
      (await stack.app.inject({ url: '/api/health' })).headers['content-security-policy'],
    ).toBeUndefined();
  });
});

describe('framework errors outside any route', () => {
  let address: { host: string; port: number };
  beforeAll(async () => {
    await stack.app.listen({ port: 0, host: '127.0.0.1' });
    address = { host: '127.0.0.1', port: (stack.app.server.address() as net.AddressInfo).port };
  });

  /** Sends raw bytes and returns the raw answer (the socket is closed by the server). */
  function raw(bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(address, () => socket.end(bytes));
      let out = '';
      socket.on('data', (d) => {
        out += d;
      });
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
  }

  it('a request Node cannot parse gets a problem with a request id, not a bare 400', async () => {
    const answer = await raw('NOT A REQUEST\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    const id = /x-request-id: (\S+)/i.exec(head!)?.[1];
    expect(JSON.parse(body!)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', requestId: id });
  });

  it('headers over the limit get a 431 problem', async () => {
    const answer = await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({
      status: 431,
      code: 'HEADERS_TOO_LARGE',
    });
  });
});
