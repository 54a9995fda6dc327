import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureCounters } from '../../../src/auth/failure-counters.js';
import { RegistrationRateLimit } from '../../../src/platform/registrations/registration-rate-limit.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';

const OPS = 'ops-token-for-tests-0123456789';
const body = (slug: string, over: Record<string, unknown> = {}) => ({
  church: { name: 'Grace Chapel', slug, timezone: 'America/Chicago', currency: 'USD', ...over },
  admin: { name: 'Ana Diaz', email: `ana@${slug}.example`, password: 'correct horse battery' },
});

describe.each(DIALECTS)('registration over HTTP on %s', (dialect) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack(dialect, {
      OPS_TOKEN: OPS,
      REGISTRATION_RATE_LIMIT: '0',
      TENANT_DELETE_GRACE_DAYS: '0',
    });
  });
  afterAll(() => stack.close());

  const register = (payload: unknown, query = '?wait=true') =>
    stack.app.inject({ method: 'POST', url: `/api/registrations${query}`, payload: payload as object });
  const login = (church: string, email: string) =>
    stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { church, email, password: 'correct horse battery' },
    });
  const ops = { authorization: `Bearer ${OPS}` };

  it('says whether a church address is free, taken or reserved; a malformed one is 400', async () => {
    const ask = (slug: string) =>
      stack.app.inject({ url: `/api/registrations/slug-availability?slug=${encodeURIComponent(slug)}` });
    expect((await ask('free-chapel')).json().data).toEqual({
      slug: 'free-chapel',
      available: true,
      reason: null,
    });
    expect((await register(body('taken-chapel'))).statusCode).toBe(201);
    expect((await ask('taken-chapel')).json().data).toEqual({
      slug: 'taken-chapel',
      available: false,
      reason: 'taken',
    });
    expect((await ask('admin')).json().data).toMatchObject({ available: false, reason: 'reserved' });
    const bad = await ask('Bad Slug!');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('registers with ?wait=true (201 ready), reports status, and the admin can log in', async () => {
    const res = await register(body('grace-chapel'));
    expect(res.statusCode).toBe(201);
    const data = res.json().data;
    expect(data).toMatchObject({ status: 'ready', church: { slug: 'grace-chapel' } });
    expect(res.headers.location).toBe(`/api/registrations/${data.id}`);
    const status = await stack.app.inject({ url: `/api/registrations/${data.id}` });
    expect(status.json()).toEqual({
      data: { id: data.id, status: 'ready', church: { slug: 'grace-chapel' } },
    });
    const session = await login('grace-chapel', 'ana@grace-chapel.example');
    expect(session.statusCode).toBe(200);
    expect(session.json().data.user.role).toBe('admin');
  });

  it('without wait answers 202 with a status link, then becomes ready', async () => {
    const res = await register(body('quick-start'), '');
    expect(res.statusCode).toBe(202);
    const id = res.json().data.id;
    const done = await stack.services.deps.registrations.service.waitFor(id, 20_000);
    expect(done.status).toBe('ready');
  });

  it('a taken slug gets 409 CONFLICT', async () => {
    await register(body('taken-slug'));
    const again = await register(body('taken-slug'));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CONFLICT');
  });

  const badFields: Array<[string, unknown, string]> = [
    ['short slug', body('ab'), '/body/church/slug'],
    ['slug with a leading dash', body('-abc'), '/body/church/slug'],
    ['slug with uppercase', body('Grace'), '/body/church/slug'],
    ['reserved slug', body('admin'), '/body/church/slug'],
    ['empty name', body('ok-slug', { name: '' }), '/body/church/name'],
    ['long name', body('ok-slug', { name: 'x'.repeat(121) }), '/body/church/name'],
    ['bad time zone', body('ok-slug', { timezone: 'Mars/Base' }), '/body/church/timezone'],
    ['bad currency', body('ok-slug', { currency: 'usd' }), '/body/church/currency'],
    ['unknown currency', body('ok-slug', { currency: 'ZZZ' }), '/body/church/currency'],
    [
      'bad email',
      { ...body('ok-slug'), admin: { name: 'A', email: 'not-an-email', password: 'long enough pw' } },
      '/body/admin/email',
    ],
    [
      'short password',
      { ...body('ok-slug'), admin: { name: 'A', email: 'a@b.example', password: 'short' } },
      '/body/admin/password',
    ],
    ['unknown field', { ...body('ok-slug'), plan: 'gold' }, '/body/plan'],
    ['missing admin', { church: body('ok-slug').church }, '/body/admin'],
  ];
  it.each(badFields)('%s -> 400 with its path, nothing written', async (_name, payload, errPath) => {
    const before = await stack.services.deps.catalog.selectFrom('registrations').select('id').execute();
    const res = await register(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(errPath);
    const after = await stack.services.deps.catalog.selectFrom('registrations').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('suspend -> 403 TENANT_SUSPENDED; resume -> works; delete -> export written, database gone, slug reusable', async () => {
    await register(body('to-delete'));
    const session = (await login('to-delete', 'ana@to-delete.example')).json().data;
    const me = () =>
      stack.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${session.accessToken}` } });
    expect((await me()).statusCode).toBe(200);

    expect(
      (await stack.app.inject({ method: 'POST', url: '/api/ops/tenants/to-delete/suspend' })).statusCode,
    ).toBe(401);
    const suspended = await stack.app.inject({
      method: 'POST',
      url: '/api/ops/tenants/to-delete/suspend',
      headers: ops,
    });
    expect(suspended.json().data.status).toBe('suspended');
    // The auth hook may cache a church's status briefly; poll until the suspension shows.
    let res = await me();
    for (let i = 0; i < 100 && res.statusCode === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await me();
    }
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('TENANT_SUSPENDED');

    await stack.app.inject({ method: 'POST', url: '/api/ops/tenants/to-delete/resume', headers: ops });
    const tenantId = session.church.id as string;
    const del = await stack.app.inject({
      method: 'DELETE',
      url: '/api/ops/tenants/to-delete?now=true',
      headers: ops,
    });
    expect(del.statusCode).toBe(200);
    const { tenant, exportFile } = del.json().data;
    expect(tenant.status).toBe('deleted');
    expect(fs.existsSync(exportFile)).toBe(true);
    const exported = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
    expect(JSON.stringify(exported)).toContain('ana@to-delete.example');
    if (dialect === 'sqlite') {
      for (const ext of ['.db', '.db-wal', '.db-shm']) {
        expect(fs.existsSync(path.join(stack.config.dataDir, 'tenants', `${tenantId}${ext}`))).toBe(false);
      }
    }
    expect((await login('to-delete', 'ana@to-delete.example')).statusCode).toBe(401);
    const reuse = await register(body('to-delete'));
    expect(reuse.statusCode).toBe(201);
  });
});

describe('registration rate limit', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('sqlite', { REGISTRATION_RATE_LIMIT: '3' });
  });
  afterAll(() => stack.close());

  it('trips after the configured count per IP with Retry-After, and other IPs are unaffected', async () => {
    const send = (i: number, ip: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/registrations',
        remoteAddress: ip,
        payload: body(`rl-${ip.replaceAll('.', '-')}-${i}`),
      });
    for (let i = 0; i < 3; i++) expect((await send(i, '10.0.0.1')).statusCode).toBe(202);
    const limited = await send(3, '10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(0, '10.0.0.2')).statusCode).toBe(202);
  });

  it('resets when the hour is over', async () => {
    const limit = new RegistrationRateLimit(
      new FailureCounters(stack.services.deps.catalog, undefined, undefined),
      2,
    );
    const t0 = Date.now();
    expect(await limit.hit('10.9.9.9', t0)).toBeNull();
    expect(await limit.hit('10.9.9.9', t0 + 1)).toBeNull();
    expect(await limit.hit('10.9.9.9', t0 + 2)).toBeGreaterThan(3500);
    expect(await limit.hit('10.9.9.9', t0 + 3_600_001)).toBeNull();
  });
});
