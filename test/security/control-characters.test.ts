import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../src/http/problem.js';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { adminQuery, DIALECTS } from '../helpers/dialects.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch, tenantServerFor } from '../helpers/session.js';

const NUL = '\u0000';

// Control characters and display tricks in request strings: a 400 naming the field, on every
// route and dialect, with nothing stored (the probe got 500/503 on PostgreSQL and a login oracle).
describe.each(DIALECTS)('control characters in requests (tenant on %s)', (dialect) => {
  let stack: TestStack;
  let church: TestChurch;

  beforeAll(async () => {
    stack = await createTestStack(dialect);
    const server = await tenantServerFor(stack, dialect);
    church = await createTestChurch(stack, { roles: ['admin'], server });
  });
  afterAll(() => stack.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    stack.app.inject({ method, url, headers: church.as('admin'), payload });
  const people = async () => (await call('GET', '/api/people')).json().data.length as number;

  it('login: the same 400 for an existing and an unknown church (no oracle), nothing counted', async () => {
    const login = (churchSlug: string, email: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { church: churchSlug, email, password: TEST_PASSWORD },
      });
    const known = await login(church.slug, `${church.users.admin.email}${NUL}`);
    const unknown = await login('no-such-church', `someone${NUL}@x.example`);
    expect([known.statusCode, unknown.statusCode]).toEqual([400, 400]);
    expect(known.json().errors).toEqual([
      { path: '/body/email', message: 'must not contain control characters' },
    ]);
    expect({ ...known.json(), requestId: 0 }).toEqual({ ...unknown.json(), requestId: 0 });
    expect((await login(church.slug, church.users.admin.email)).statusCode).toBe(200);
  });

  it('query, path and body strings: 400 naming the field, nothing stored', async () => {
    const before = await people();
    const search = await call('GET', `/api/people?q=a${encodeURIComponent(NUL)}`);
    expect(search.statusCode).toBe(400);
    expect(search.json().errors[0].path).toBe('/query/q');
    expect((await call('GET', `/api/people/${encodeURIComponent(NUL)}`)).statusCode).toBe(400);
    for (const [field, value] of [
      ['firstName', `Ana${NUL}`],
      ['firstName', 'Ana\tDiaz'], // a name is one line: no tab or newline
      ['lastName', 'Diaz\n'],
      ['email', `ana${NUL}@x.example`],
      ['notes', 'ring\u0007'], // free text takes line breaks and tabs, no other control
    ] as const) {
      const res = await call('POST', '/api/people', { firstName: 'Ana', lastName: 'Diaz', [field]: value });
      expect(res.statusCode, `${field}: ${JSON.stringify(value)}`).toBe(400);
      expect(new Set(res.json().errors.map((e: { path: string }) => e.path))).toEqual(
        new Set([`/body/${field}`]),
      );
    }
    expect(await people()).toBe(before);
  });

  it('names: blank or carrying bidirectional overrides are refused; free text keeps its line breaks', async () => {
    for (const firstName of ['   ', '\u00a0', 'Ana\u202Egnp.exe', 'Ana\u2066x\u2069']) {
      const res = await call('POST', '/api/people', { firstName, lastName: 'Diaz' });
      expect(res.statusCode, JSON.stringify(firstName)).toBe(400);
      expect(res.json().errors[0].message).toMatch(/blank|bidirectional/);
    }
    for (const [url, payload] of [
      ['/api/households', { name: ' \t ' }],
      ['/api/funds', { name: '\u202Eevil' }],
      ['/api/users', { name: '  ', email: 'x@x.example', role: 'viewer', password: 'long enough pw' }],
    ] as const) {
      expect((await call('POST', url, payload)).statusCode, url).toBe(400);
    }
    const ok = await call('POST', '/api/people', {
      firstName: 'Zoë',
      lastName: 'שלום',
      notes: 'first line\n\tsecond line\r\n',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data.notes).toBe('first line\n\tsecond line\r\n');
  });

  it.runIf(dialect === 'postgres')(
    'text PostgreSQL cannot store is a 400, not a 500 (backstop)',
    async () => {
      const err = await adminQuery('select $1::text', [`a${NUL}b`]).catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('22021');
      const problem = toAppError(err);
      expect([problem.status, problem.code]).toEqual([400, 'VALIDATION_FAILED']);
    },
  );
});
