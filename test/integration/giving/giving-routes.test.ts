import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import type { TestChurch } from '../../helpers/session.js';
import { createGivingChurch } from './giving-church.js';

type Json = Record<string, unknown>;

describe.each(DIALECTS)('giving routes through the real auth hook (catalog and tenants on %s)', (dialect) => {
  let stack: TestStack;
  let a: TestChurch & { drop(): Promise<void> };
  let b: TestChurch & { drop(): Promise<void> };
  beforeAll(async () => {
    stack = await createTestStack(dialect);
    a = await createGivingChurch(stack, dialect, 'Grace <Chapel>');
    b = await createGivingChurch(stack, dialect);
  });
  afterAll(async () => {
    await a?.drop();
    await b?.drop();
    await stack.close();
  });

  const call = async (
    church: TestChurch,
    method: string,
    url: string,
    payload?: unknown,
    role = 'finance' as const,
  ) => {
    const res = await stack.app.inject({
      method: method as 'GET',
      url,
      headers: church.as(role),
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    return {
      status: res.statusCode,
      body: /json/.test(String(res.headers['content-type']))
        ? (res.json() as Json & { data: Json })
        : undefined,
      res,
    };
  };
  const data = async (church: TestChurch, method: string, url: string, payload?: unknown) => {
    const r = await call(church, method, url, payload);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body!.data as Json & { id: string };
  };

  it('records, lists, commits and reverses; a committed batch is immutable (409)', async () => {
    const general = await data(a, 'POST', '/api/funds', { name: 'General' });
    const missions = await data(a, 'POST', '/api/funds', { name: 'Missions', taxDeductible: true });
    const batch = await data(a, 'POST', '/api/batches', { name: 'Sunday', date: '2025-09-07' });
    const single = await data(a, 'POST', '/api/donations', {
      batchId: batch.id,
      fundId: general.id,
      amountCents: 2000,
      receivedOn: '2025-09-07',
      method: 'cash',
    });
    expect(single).toMatchObject({
      fundId: general.id,
      amountCents: 2000,
      splits: [{ fundId: general.id, amountCents: 2000 }],
    });
    const split = await data(a, 'POST', '/api/donations', {
      batchId: batch.id,
      splits: [
        { fundId: general.id, amountCents: 700 },
        { fundId: missions.id, amountCents: 300 },
      ],
      receivedOn: '2025-09-07',
      method: 'check',
      checkNumber: '12',
    });
    expect(split).toMatchObject({ fundId: null, amountCents: 1000 });

    const clamped = await call(a, 'GET', `/api/donations?batchId=${batch.id}&limit=100000`);
    expect(clamped.body).toMatchObject({ meta: { limit: 200, nextCursor: null } });
    expect((clamped.body!.data as unknown as Json[]).map((d) => d.id)).toEqual([split.id, single.id]);
    const p1 = await call(a, 'GET', `/api/donations?batchId=${batch.id}&limit=1`);
    const cursor = (p1.body!.meta as Json).nextCursor as string;
    const p2 = await call(a, 'GET', `/api/donations?batchId=${batch.id}&limit=1&cursor=${cursor}`);
    expect((p2.body!.data as unknown as Json[]).map((d) => d.id)).toEqual([single.id]);
    expect((await call(a, 'GET', '/api/donations?cursor=@@')).status).toBe(400);
    expect((await call(a, 'GET', '/api/funds?limit=0')).body).toMatchObject({ meta: { limit: 1 } });

    const patched = await data(a, 'PATCH', `/api/donations/${single.id}`, { note: 'envelope 4' });
    expect(patched.note).toBe('envelope 4');
    const committed = await call(a, 'POST', `/api/batches/${batch.id}/commit`);
    expect(committed.status).toBe(200);
    expect(committed.body!.data).toMatchObject({ status: 'committed', donationCount: 2, totalCents: 3000 });

    for (const [method, url, body] of [
      ['POST', `/api/batches/${batch.id}/commit`, undefined],
      ['PATCH', `/api/batches/${batch.id}`, { name: 'x' }],
      ['DELETE', `/api/batches/${batch.id}`, undefined],
      ['PATCH', `/api/donations/${single.id}`, { amountCents: 1, fundId: general.id }],
      ['DELETE', `/api/donations/${single.id}`, undefined],
      [
        'POST',
        '/api/donations',
        { batchId: batch.id, fundId: general.id, amountCents: 5, receivedOn: '2025-09-07', method: 'cash' },
      ],
    ] as const) {
      const r = await call(a, method, url, body);
      expect(r.status, `${method} ${url}`).toBe(409);
      expect(r.body!.code).toBe('CONFLICT');
    }
    expect(await data(a, 'GET', `/api/donations/${single.id}`)).toEqual(patched);

    const reversal = await call(a, 'POST', `/api/donations/${split.id}/reverse`);
    expect(reversal.status).toBe(201);
    expect(reversal.body!.data).toMatchObject({
      reversesId: split.id,
      amountCents: -1000,
      receivedOn: '2025-09-07',
    });
    expect((await call(a, 'POST', `/api/donations/${split.id}/reverse`, {})).status).toBe(409);
    expect((await data(a, 'GET', `/api/donations/${split.id}`)).reversedById).toBe(reversal.body!.data.id);

    const fundInUse = await call(a, 'DELETE', `/api/funds/${general.id}`);
    expect(fundInUse.status).toBe(409);
    const audit = await call(
      a,
      'GET',
      `/api/audit-log?entity=donation&limit=200`,
      undefined,
      'admin' as never,
    );
    expect(audit.status).toBe(200);
    const actions = (audit.body!.data as unknown as Json[]).map((r) => r.action);
    expect(actions.filter((x) => x === 'reverse')).toHaveLength(1);
    expect(actions.filter((x) => x === 'create')).toHaveLength(2);
  });

  it('rejects floats, strings, zero, negatives, too much money and unknown fields (400)', async () => {
    const fund = await data(a, 'POST', '/api/funds', { name: 'Validation' });
    const base = { fundId: fund.id, receivedOn: '2025-01-05', method: 'cash' };
    const bad: Json[] = [
      { ...base, amountCents: 10.5 },
      { ...base, amountCents: '100' },
      { ...base, amountCents: 0 },
      { ...base, amountCents: -5 },
      { ...base, amountCents: 10_000_000_001 },
      { ...base, amountCents: 100, isAdmin: true },
      { ...base, amountCents: 100, method: 'bitcoin' },
      { ...base, amountCents: 100, receivedOn: '2025-02-30' },
      { ...base, amountCents: 100, splits: [{ fundId: fund.id, amountCents: 100 }] },
      { receivedOn: '2025-01-05', method: 'cash', splits: [{ fundId: fund.id, amountCents: 1.5 }] },
      { receivedOn: '2025-01-05', method: 'cash', splits: [] },
      { receivedOn: '2025-01-05', method: 'cash' },
    ];
    for (const body of bad) {
      const r = await call(a, 'POST', '/api/donations', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body!.code).toBe('VALIDATION_FAILED');
    }
    const amount = await call(a, 'POST', '/api/donations', { ...base, amountCents: 0 });
    expect(amount.body!.errors).toEqual([expect.objectContaining({ path: '/body/amountCents' })]);
    expect((await call(a, 'POST', '/api/funds', { name: 'X', taxDeductible: 'yes' })).status).toBe(400);
    expect(
      (await call(a, 'POST', '/api/batches', { name: 'X', date: '2025-01-05', status: 'committed' })).status,
    ).toBe(400);
    expect((await call(a, 'GET', '/api/donations?limit=10&sort=amount')).status).toBe(400);
    const list = await data(a, 'GET', `/api/donations?fundId=${fund.id}`);
    expect(list).toEqual([]);
  });

  it('serves person and household statements as JSON and printable HTML', async () => {
    const admin = (m: string, u: string, p?: unknown) =>
      stack.app
        .inject({ method: m as 'POST', url: u, headers: a.as('admin'), payload: p as Json })
        .then((r) => r.json().data);
    const person = await admin('POST', '/api/people', { firstName: '<b>Eve</b>', lastName: 'Stone' });
    const spouse = await admin('POST', '/api/people', { firstName: 'Sam', lastName: 'Stone' });
    const home = await admin('POST', '/api/households', { name: 'Stone family', city: 'Austin' });
    await admin('POST', `/api/households/${home.id}/members`, { personId: person.id, role: 'head' });
    await admin('POST', `/api/households/${home.id}/members`, { personId: spouse.id, role: 'spouse' });
    const fund = await data(a, 'POST', '/api/funds', { name: 'Statement fund' });
    const other = await data(a, 'POST', '/api/funds', { name: 'Gala dinner', taxDeductible: false });
    const give = (body: Json) =>
      data(a, 'POST', '/api/donations', { receivedOn: '2024-03-03', method: 'card', ...body });
    await give({
      personId: person.id,
      splits: [
        { fundId: fund.id, amountCents: 12_345 },
        { fundId: other.id, amountCents: 5_000 },
      ],
    });
    const wrong = await give({ personId: person.id, fundId: fund.id, amountCents: 999 });
    await call(a, 'POST', `/api/donations/${wrong.id}/reverse`, { note: 'keyed twice' });
    await give({ personId: spouse.id, fundId: fund.id, amountCents: 1 });

    const json = await call(a, 'GET', `/api/people/${person.id}/giving-statement?year=2024`);
    expect(json.status).toBe(200);
    expect(json.res.headers['cache-control']).toBe('no-store');
    // 12345 (gala dinner excluded) + 999 - 999
    expect(json.body!.data).toMatchObject({ year: 2024, currency: 'USD', totalCents: 12_345 });
    expect((json.body!.data.donations as Json[]).length).toBe(3);
    const joint = await data(a, 'GET', `/api/households/${home.id}/giving-statement?year=2024`);
    expect(joint).toMatchObject({ totalCents: 12_346, household: { id: home.id } });

    const html = await call(a, 'GET', `/api/people/${person.id}/giving-statement.html?year=2024`);
    expect(html.status).toBe(200);
    expect(html.res.headers['cache-control']).toBe('no-store');
    expect(html.res.headers['content-type']).toMatch(/^text\/html/);
    expect(html.res.headers['content-security-policy']).toContain("default-src 'none'");
    const page = html.res.body;
    expect(page).toContain('Grace &lt;Chapel&gt;');
    expect(page).toContain('No goods or services were provided');
    expect(page).toContain('$123.45');
    expect(page).toContain('&lt;b&gt;Eve&lt;/b&gt; Stone');
    expect(page).not.toContain('<b>Eve</b>');
    const jointHtml = await call(a, 'GET', `/api/households/${home.id}/giving-statement.html?year=2024`);
    expect(jointHtml.res.body).toContain('$123.46');
    expect(jointHtml.res.body).toContain('Stone family');

    // Giving history pins its donors: deleting them is a 409 and changes nothing.
    const del = await stack.app.inject({
      method: 'DELETE',
      url: `/api/people/${person.id}`,
      headers: a.as('admin'),
    });
    expect(del.statusCode).toBe(409);
    const delHome = await stack.app.inject({
      method: 'DELETE',
      url: `/api/households/${home.id}`,
      headers: a.as('admin'),
    });
    expect(delHome.statusCode).toBe(204);
    expect((await data(a, 'GET', `/api/people/${person.id}/giving-statement?year=2024`)).totalCents).toBe(
      12_345,
    );

    expect((await call(a, 'GET', `/api/people/${person.id}/giving-statement`)).status).toBe(400);
    // The page is its own operation: the JSON one takes no `format`.
    expect(
      (await call(a, 'GET', `/api/people/${person.id}/giving-statement?year=2024&format=html`)).status,
    ).toBe(400);
    expect((await call(a, 'GET', `/api/people/nobody/giving-statement?year=2024`)).status).toBe(404);
  });

  it('lets only finance and admin use giving routes (403 for staff and viewer, 401 without a token)', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/funds'],
      ['POST', '/api/funds', { name: 'Perm' }],
      ['GET', '/api/funds/x'],
      ['PATCH', '/api/funds/x', { name: 'y' }],
      ['DELETE', '/api/funds/x'],
      ['GET', '/api/batches'],
      ['POST', '/api/batches', { name: 'b', date: '2025-01-01' }],
      ['GET', '/api/batches/x'],
      ['PATCH', '/api/batches/x', { name: 'y' }],
      ['DELETE', '/api/batches/x'],
      ['POST', '/api/batches/x/commit'],
      ['GET', '/api/donations'],
      ['POST', '/api/donations', { fundId: 'x', amountCents: 1, receivedOn: '2025-01-01', method: 'cash' }],
      ['GET', '/api/donations/x'],
      ['PATCH', '/api/donations/x', { note: 'y' }],
      ['DELETE', '/api/donations/x'],
      ['POST', '/api/donations/x/reverse', {}],
      ['GET', '/api/people/x/giving-statement?year=2024'],
      ['GET', '/api/households/x/giving-statement?year=2024'],
    ];
    const before = await data(a, 'GET', '/api/funds?limit=200');
    for (const [method, url, body] of routes) {
      for (const role of ['staff', 'viewer'] as const) {
        const r = await call(a, method, url, body, role as never);
        expect(r.status, `${role} ${method} ${url}`).toBe(403);
      }
      for (const role of ['finance', 'admin'] as const) {
        const r = await call(a, method, url, body, role as never);
        expect([200, 201, 204, 404, 409], `${role} ${method} ${url}`).toContain(r.status);
      }
      const anon = await stack.app.inject({ method: method as 'GET', url, payload: body as Json });
      expect(anon.statusCode, `anonymous ${method} ${url}`).toBe(401);
    }
    // Finance created the fund (admin got 409 for the same name); the 403s changed nothing.
    const after = await data(a, 'GET', '/api/funds?limit=200');
    expect((after as unknown as Json[]).length - (before as unknown as Json[]).length).toBe(1);
  });

  it('answers 404 to church A for every church B id, and changes nothing in B', async () => {
    const fund = await data(b, 'POST', '/api/funds', { name: 'B fund' });
    const batch = await data(b, 'POST', '/api/batches', { name: 'B batch', date: '2025-02-02' });
    const donation = await data(b, 'POST', '/api/donations', {
      batchId: batch.id,
      fundId: fund.id,
      amountCents: 4200,
      receivedOn: '2025-02-02',
      method: 'ach',
    });
    const bAdmin = (m: string, u: string, p?: unknown) =>
      stack.app
        .inject({ method: m as 'POST', url: u, headers: b.as('admin'), payload: p as Json })
        .then((r) => r.json().data);
    const person = await bAdmin('POST', '/api/people', { firstName: 'Bea', lastName: 'B' });
    const home = await bAdmin('POST', '/api/households', { name: 'B home' });
    const aFund = await data(a, 'POST', '/api/funds', { name: 'A fund for cross test' });
    const snapshot = async () =>
      JSON.stringify([
        await data(b, 'GET', `/api/funds/${fund.id}`),
        await data(b, 'GET', `/api/batches/${batch.id}`),
        await data(b, 'GET', `/api/donations/${donation.id}`),
        await data(b, 'GET', '/api/donations?limit=200'),
      ]);
    const before = await snapshot();
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/funds/${fund.id}`],
      ['PATCH', `/api/funds/${fund.id}`, { name: 'stolen' }],
      ['DELETE', `/api/funds/${fund.id}`],
      ['GET', `/api/batches/${batch.id}`],
      ['PATCH', `/api/batches/${batch.id}`, { name: 'stolen' }],
      ['DELETE', `/api/batches/${batch.id}`],
      ['POST', `/api/batches/${batch.id}/commit`],
      ['GET', `/api/donations/${donation.id}`],
      ['PATCH', `/api/donations/${donation.id}`, { note: 'stolen' }],
      ['DELETE', `/api/donations/${donation.id}`],
      ['POST', `/api/donations/${donation.id}/reverse`, {}],
      ['GET', `/api/people/${person.id}/giving-statement?year=2025`],
      ['GET', `/api/households/${home.id}/giving-statement?year=2025`],
      [
        'POST',
        '/api/donations',
        { fundId: fund.id, amountCents: 1, receivedOn: '2025-01-01', method: 'cash' },
      ],
      [
        'POST',
        '/api/donations',
        { batchId: batch.id, fundId: aFund.id, amountCents: 1, receivedOn: '2025-01-01', method: 'cash' },
      ],
      [
        'POST',
        '/api/donations',
        { personId: person.id, fundId: aFund.id, amountCents: 1, receivedOn: '2025-01-01', method: 'cash' },
      ],
      [
        'POST',
        '/api/donations',
        { householdId: home.id, fundId: aFund.id, amountCents: 1, receivedOn: '2025-01-01', method: 'cash' },
      ],
    ];
    for (const [method, url, body] of attempts) {
      const r = await call(a, method, url, body, 'admin' as never);
      expect(r.status, `${method} ${url} ${JSON.stringify(body ?? '')}`).toBe(404);
      expect(r.body!.code).toBe('NOT_FOUND');
    }
    expect(await snapshot()).toBe(before);
    expect(await data(a, 'GET', `/api/donations?fundId=${fund.id}`)).toEqual([]);
  });
});
