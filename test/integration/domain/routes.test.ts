import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/dialects.js';
import type { Role } from '../../../src/auth/roles.js';
import { createDomainStack, type DomainStack } from './domain-stack.js';

describe.each(DIALECTS)('domain routes on %s', (dialect) => {
  let h: DomainStack;
  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = h.as()) =>
    h.app.inject({ method: method as 'GET', url, payload: body as object, headers });
  beforeAll(async () => {
    h = await createDomainStack(dialect);
  });
  afterAll(() => h.close());

  it('people CRUD, validation, search, clamp and cursor', async () => {
    const created = await call('POST', '/api/people', {
      firstName: 'Ana',
      lastName: 'Diaz',
      email: 'ana@x.org',
    });
    expect(created.statusCode).toBe(201);
    const ana = created.json().data;
    expect(ana).toMatchObject({ firstName: 'Ana', membershipStatus: 'visitor', householdId: null });
    for (const body of [
      { firstName: 'A', lastName: 'B', isAdmin: true },
      { firstName: 'A' },
      { firstName: 'A', lastName: 'B', birthDate: '2020-13-01' },
      { firstName: 'A', lastName: 'B', membershipStatus: 'vip' },
    ]) {
      const res = await call('POST', '/api/people', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    await call('POST', '/api/people', { firstName: 'Bob', lastName: 'Adams' });
    const list = await call('GET', '/api/people?limit=100000&q=DI');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ data: [{ id: ana.id }], meta: { nextCursor: null, limit: 200 } });
    const page = await call('GET', '/api/people?limit=1');
    expect(page.json().meta.nextCursor).toEqual(expect.any(String));
    const next = await call('GET', `/api/people?limit=1&cursor=${page.json().meta.nextCursor}`);
    expect(next.json().data[0].id).toBe(ana.id);
    expect((await call('GET', '/api/people?cursor=%%%')).statusCode).toBe(400);
    const patched = await call('PATCH', `/api/people/${ana.id}`, { phone: '555-0100' });
    expect(patched.json().data.phone).toBe('555-0100');
    expect((await call('PATCH', `/api/people/${ana.id}`, { id: 'x' })).statusCode).toBe(400);
    expect((await call('GET', `/api/people/${ana.id}`)).json().data.phone).toBe('555-0100');
    expect((await call('DELETE', `/api/people/${ana.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/people/${ana.id}`)).statusCode).toBe(404);
  });

  it('households, tags, groups, events, attendance and headcount', async () => {
    const p = (await call('POST', '/api/people', { firstName: 'Cy', lastName: 'Moss' })).json().data;
    const hh = (await call('POST', '/api/households', { name: 'Moss family', city: 'Waco' })).json().data;
    const add = await call('POST', `/api/households/${hh.id}/members`, { personId: p.id, role: 'head' });
    expect(add.statusCode).toBe(201);
    const other = (await call('POST', '/api/households', { name: 'Other' })).json().data;
    expect(
      (await call('POST', `/api/households/${other.id}/members`, { personId: p.id, role: 'adult' }))
        .statusCode,
    ).toBe(409);
    expect((await call('GET', `/api/households/${hh.id}`)).json().data.members).toHaveLength(1);
    expect((await call('DELETE', `/api/households/${hh.id}/members/${p.id}`)).statusCode).toBe(204);

    const tag = await call('POST', '/api/tags', { name: 'Volunteer' });
    expect(tag.statusCode).toBe(201);
    const tagId = tag.json().data.id;
    expect((await call('POST', '/api/tags', { name: 'volunteer' })).statusCode).toBe(409);
    expect((await call('PUT', `/api/people/${p.id}/tags/${tagId}`)).statusCode).toBe(204);
    expect((await call('PUT', `/api/people/${p.id}/tags/${tagId}`)).statusCode).toBe(204);
    expect(
      (await call('GET', `/api/people?tag=${tagId}`)).json().data.map((x: { id: string }) => x.id),
    ).toEqual([p.id]);
    expect((await call('DELETE', `/api/people/${p.id}/tags/${tagId}`)).statusCode).toBe(204);

    const g = (await call('POST', '/api/groups', { name: 'Choir' })).json().data;
    expect(
      (await call('POST', `/api/groups/${g.id}/members`, { personId: p.id, role: 'leader' })).statusCode,
    ).toBe(201);
    expect((await call('GET', `/api/groups/${g.id}/members`)).json()).toMatchObject({
      data: [{ personId: p.id, role: 'leader' }],
      meta: { nextCursor: null, limit: 50 },
    });

    const ev = await call('POST', '/api/events', {
      name: 'Service',
      startsAt: '2026-04-05T15:00:00Z',
      groupId: g.id,
    });
    expect(ev.statusCode).toBe(201);
    const evId = ev.json().data.id;
    expect((await call('POST', '/api/events', { name: 'x', startsAt: 'sunday' })).statusCode).toBe(400);
    const ci = await call(
      'POST',
      `/api/events/${evId}/attendance`,
      { personIds: [p.id] },
      h.as('a', 'staff'),
    );
    expect(ci.statusCode).toBe(201);
    expect(ci.json().meta).toEqual({ checkedIn: 1, alreadyCheckedIn: 0 });
    const again = await call('POST', `/api/events/${evId}/attendance`, { personIds: [p.id] });
    expect(again.json().meta).toEqual({ checkedIn: 0, alreadyCheckedIn: 1 });
    const att = await call('GET', `/api/events/${evId}/attendance`, undefined, h.as('a', 'viewer'));
    expect(att.json().data).toEqual([
      { personId: p.id, checkedInAt: expect.any(String), checkedInBy: h.a.users.staff.id },
    ]);
    const hc = await call('PUT', `/api/events/${evId}/headcount`, { count: 140 });
    expect(hc.json().data.headcount).toBe(140);
    expect((await call('PUT', `/api/events/${evId}/headcount`, { count: '140' })).statusCode).toBe(400);
    expect((await call('PUT', `/api/events/${evId}/headcount`, { count: -1 })).statusCode).toBe(400);
    const hist = await call('GET', `/api/people/${p.id}/attendance?from=2026-04-01&to=2026-04-30`);
    expect(hist.json().data.map((x: { eventId: string }) => x.eventId)).toEqual([evId]);
  });

  it('church profile and the admin-only audit log', async () => {
    expect((await call('GET', '/api/church', undefined, h.as('a', 'viewer'))).json().data.name).toBe(
      'Church A',
    );
    const bad = await call('PATCH', '/api/church', { timezone: 'Mars/Base' });
    expect(bad.statusCode).toBe(400);
    expect((await call('PATCH', '/api/church', { slug: 'new' })).statusCode).toBe(400);
    const ok = await call('PATCH', '/api/church', { name: 'Grace Chapel', city: 'Austin' });
    expect(ok.json().data).toMatchObject({ name: 'Grace Chapel', city: 'Austin', slug: h.a.slug });
    // The catalog's copy follows (login answers and operator listings read it).
    const row = await h.catalog
      .selectFrom('tenants')
      .select('name')
      .where('id', '=', h.a.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Grace Chapel');
    expect((await call('PATCH', '/api/church', { name: 'x' }, h.as('a', 'staff'))).statusCode).toBe(403);
    // The tax-receipt wording: set, then null for the default again; never an empty string.
    expect(ok.json().data.taxReceiptText).toBeNull();
    const receipt = await call('PATCH', '/api/church', { taxReceiptText: 'Charity 123.' });
    expect(receipt.json().data.taxReceiptText).toBe('Charity 123.');
    expect((await call('PATCH', '/api/church', { taxReceiptText: '' })).statusCode).toBe(400);
    const reset = await call('PATCH', '/api/church', { taxReceiptText: null });
    expect(reset.json().data.taxReceiptText).toBeNull();
    const log = await call('GET', '/api/audit-log?entity=church');
    expect(log.json().data.at(-1)).toMatchObject({
      action: 'update',
      entity: 'church',
      actorId: h.a.users.admin.id,
      changes: { before: { name: 'Church A' }, after: { name: 'Grace Chapel' } },
    });
    expect((await call('GET', '/api/audit-log', undefined, h.as('a', 'finance'))).statusCode).toBe(403);
    const all = await call('GET', '/api/audit-log?limit=2');
    const more = await call('GET', `/api/audit-log?limit=2&cursor=${all.json().meta.nextCursor}`);
    expect(more.json().data[0].id < all.json().data[1].id).toBe(true);
    expect((await call('DELETE', '/api/audit-log')).statusCode).toBe(404);
  });

  it('postal addresses on the church and households: set, kept when left out, cleared with null', async () => {
    const address = {
      addressLine1: '12 Elm St',
      addressLine2: 'Suite 3',
      city: 'Leeds',
      region: 'West Yorkshire',
      postalCode: 'LS1 4AP',
      country: 'GB',
    };
    const church = await call('PATCH', '/api/church', address);
    expect(church.json().data).toMatchObject(address);
    const cleared = await call('PATCH', '/api/church', { addressLine2: null, postalCode: 'LS2 7EW' });
    expect(cleared.json().data).toMatchObject({ ...address, addressLine2: null, postalCode: 'LS2 7EW' });
    expect((await call('GET', '/api/church')).json().data).toMatchObject({
      addressLine2: null,
      city: 'Leeds',
    });

    const created = await call('POST', '/api/households', { name: 'The Okafors', ...address });
    expect(created.statusCode).toBe(201);
    const home = created.json().data;
    expect(home).toMatchObject({ name: 'The Okafors', ...address });
    const moved = await call('PATCH', `/api/households/${home.id}`, { city: 'York', country: null });
    expect(moved.json().data).toMatchObject({ ...address, city: 'York', country: null });
    const noAddress = await call('POST', '/api/households', { name: 'The Smiths' });
    expect(noAddress.json().data).toMatchObject({ addressLine1: null, city: null, postalCode: null });

    // A household statement prints the same address (as line1/line2).
    const statement = await call('GET', `/api/households/${home.id}/giving-statement?year=2024`);
    expect(statement.statusCode).toBe(200);
    expect(statement.json().data.address).toEqual({
      line1: '12 Elm St',
      line2: 'Suite 3',
      city: 'York',
      region: 'West Yorkshire',
      postalCode: 'LS1 4AP',
      country: null,
    });
  });

  it('role permissions per route', async () => {
    const cases: Array<[string, string, unknown, string, number]> = [
      ['GET', '/api/people', undefined, 'viewer', 200],
      ['POST', '/api/people', { firstName: 'V', lastName: 'W' }, 'viewer', 403],
      ['POST', '/api/people', { firstName: 'V', lastName: 'W' }, 'finance', 403],
      ['POST', '/api/people', { firstName: 'V', lastName: 'W' }, 'staff', 201],
      ['POST', '/api/groups', { name: 'G' }, 'viewer', 403],
      ['GET', '/api/groups', undefined, 'viewer', 200],
      ['POST', '/api/events', { name: 'E', startsAt: '2026-01-01T00:00:00Z' }, 'viewer', 403],
      ['GET', '/api/events', undefined, 'finance', 200],
      ['POST', '/api/tags', { name: 'T1' }, 'viewer', 403],
      ['POST', '/api/households', { name: 'H' }, 'finance', 403],
      ['GET', '/api/audit-log', undefined, 'staff', 403],
      ['PATCH', '/api/church', { name: 'C' }, 'finance', 403],
    ];
    for (const [method, url, body, role, status] of cases) {
      const res = await call(method, url, body, h.as('a', role as Role));
      expect(res.statusCode, `${role} ${method} ${url}`).toBe(status);
    }
  });

  it("church A's token with church B's ids: 404 and nothing changed", async () => {
    const b = () => h.as('b');
    const person = (await call('POST', '/api/people', { firstName: 'Bea', lastName: 'B' }, b())).json().data;
    const hh = (await call('POST', '/api/households', { name: 'B house' }, b())).json().data;
    const g = (await call('POST', '/api/groups', { name: 'B group' }, b())).json().data;
    const tag = (await call('POST', '/api/tags', { name: 'B tag' }, b())).json().data;
    const ev = (
      await call('POST', '/api/events', { name: 'B ev', startsAt: '2026-01-01T00:00:00Z' }, b())
    ).json().data;
    const aPerson = (await call('POST', '/api/people', { firstName: 'Al', lastName: 'A' })).json().data;
    const before = await h.dbB.selectFrom('audit_log').select('id').execute();
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/people/${person.id}`],
      ['PATCH', `/api/people/${person.id}`, { firstName: 'X' }],
      ['DELETE', `/api/people/${person.id}`],
      ['GET', `/api/people/${person.id}/attendance`],
      ['GET', `/api/people/${person.id}/tags`],
      ['PUT', `/api/people/${person.id}/tags/${tag.id}`],
      ['PUT', `/api/people/${aPerson.id}/tags/${tag.id}`],
      ['DELETE', `/api/people/${person.id}/tags/${tag.id}`],
      ['GET', `/api/households/${hh.id}`],
      ['PATCH', `/api/households/${hh.id}`, { name: 'X' }],
      ['DELETE', `/api/households/${hh.id}`],
      ['GET', `/api/households/${hh.id}/members`],
      ['POST', `/api/households/${hh.id}/members`, { personId: aPerson.id, role: 'adult' }],
      ['DELETE', `/api/households/${hh.id}/members/${person.id}`],
      ['GET', `/api/tags/${tag.id}`],
      ['PATCH', `/api/tags/${tag.id}`, { name: 'X' }],
      ['DELETE', `/api/tags/${tag.id}`],
      ['GET', `/api/groups/${g.id}`],
      ['PATCH', `/api/groups/${g.id}`, { name: 'X' }],
      ['DELETE', `/api/groups/${g.id}`],
      ['GET', `/api/groups/${g.id}/members`],
      ['POST', `/api/groups/${g.id}/members`, { personId: aPerson.id }],
      ['DELETE', `/api/groups/${g.id}/members/${person.id}`],
      ['GET', `/api/events/${ev.id}`],
      ['PATCH', `/api/events/${ev.id}`, { name: 'X' }],
      ['DELETE', `/api/events/${ev.id}`],
      ['PUT', `/api/events/${ev.id}/headcount`, { count: 3 }],
      ['GET', `/api/events/${ev.id}/attendance`],
      ['POST', `/api/events/${ev.id}/attendance`, { personIds: [aPerson.id] }],
      ['DELETE', `/api/events/${ev.id}/attendance/${person.id}`],
      ['POST', `/api/events/${ev.id}/attendance`, { personIds: [person.id] }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await call(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    expect(await h.dbB.selectFrom('audit_log').select('id').execute()).toEqual(before);
    const still = await call('GET', `/api/people/${person.id}`, undefined, b());
    expect(still.json().data.firstName).toBe('Bea');
  });
});
