import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/auth/roles.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createDomainStack, type DomainStack } from './domain-stack.js';

// The reads the staff console needs beyond plain CRUD: people by group, a person's groups, the
// home screen's counts.
describe.each(DIALECTS)('console reads on %s', (dialect) => {
  let h: DomainStack;
  const call = (method: string, url: string, body?: unknown, role: Role = 'admin') =>
    h.app.inject({ method: method as 'GET', url, payload: body as object, headers: h.as('a', role) });
  const made = async (url: string, body: unknown) => (await call('POST', url, body)).json().data;

  beforeAll(async () => {
    h = await createDomainStack(dialect);
  });
  afterAll(() => h.close());

  it("filters people by group and lists a person's groups with roles", async () => {
    const ana = await made('/api/people', { firstName: 'Ana', lastName: 'Zed' });
    const bob = await made('/api/people', { firstName: 'Bob', lastName: 'Zed' });
    const choir = await made('/api/groups', { name: 'Choir' });
    const band = await made('/api/groups', { name: 'Band' });
    await call('POST', `/api/groups/${choir.id}/members`, { personId: ana.id, role: 'leader' });
    await call('POST', `/api/groups/${band.id}/members`, { personId: ana.id });
    await call('POST', `/api/groups/${band.id}/members`, { personId: bob.id });

    const inChoir = await call('GET', `/api/people?group=${choir.id}&q=zed`, undefined, 'viewer');
    expect(inChoir.json().data.map((p: { id: string }) => p.id)).toEqual([ana.id]);
    const inBand = await call('GET', `/api/people?group=${band.id}&q=zed`);
    expect(inBand.json().data.map((p: { id: string }) => p.id)).toEqual([ana.id, bob.id]);

    const groups = await call('GET', `/api/people/${ana.id}/groups`, undefined, 'viewer');
    expect(groups.statusCode).toBe(200);
    expect(groups.json().data.map((g: { name: string; role: string }) => [g.name, g.role])).toEqual([
      ['Band', 'member'],
      ['Choir', 'leader'],
    ]);
    expect((await call('GET', '/api/people/nobody/groups')).statusCode).toBe(404);
  });

  it('counts people, households, groups, this week and (for giving roles) this year', async () => {
    const before = (await call('GET', '/api/church/summary')).json().data;
    const p = await made('/api/people', { firstName: 'Cy', lastName: 'Moss' });
    await made('/api/households', { name: 'Moss household' });
    const event = await made('/api/events', {
      name: 'Sunday',
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    await call('POST', `/api/events/${event.id}/attendance`, { personIds: [p.id] });
    const fund = await made('/api/funds', { name: 'General counts' });
    const today = new Date().toISOString().slice(0, 10);
    await made('/api/donations', {
      personId: p.id,
      fundId: fund.id,
      amountCents: 2500,
      receivedOn: today,
      method: 'cash',
    });

    const after = await call('GET', '/api/church/summary', undefined, 'finance');
    expect(after.statusCode).toBe(200);
    const d = after.json().data;
    expect(d.people).toBe(before.people + 1);
    expect(d.households).toBe(before.households + 1);
    expect(d.attendanceThisWeek).toBe(before.attendanceThisWeek + 1);
    expect(d.givingThisYearCents).toBe((before.givingThisYearCents ?? 0) + 2500);

    const viewer = (await call('GET', '/api/church/summary', undefined, 'viewer')).json().data;
    expect(viewer.givingThisYearCents).toBeNull();
    expect(viewer.people).toBe(d.people);
  });

  it('filters the audit log by record, action and time', async () => {
    const start = new Date().toISOString();
    const p = await made('/api/people', { firstName: 'Audit', lastName: 'Trail' });
    await call('PATCH', `/api/people/${p.id}`, { phone: '555' });
    const ofPerson = (await call('GET', `/api/audit-log?entity=person&entityId=${p.id}`)).json().data;
    expect(ofPerson.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    const creates = await call('GET', `/api/audit-log?entityId=${p.id}&action=create`);
    expect(creates.json().data).toHaveLength(1);
    const since = await call('GET', `/api/audit-log?entityId=${p.id}&from=${encodeURIComponent(start)}`);
    expect(since.json().data).toHaveLength(2);
    const before = await call('GET', `/api/audit-log?entityId=${p.id}&to=${encodeURIComponent(start)}`);
    expect(before.json().data).toHaveLength(0);
    expect((await call('GET', '/api/audit-log?from=yesterday')).statusCode).toBe(400);
  });
});
