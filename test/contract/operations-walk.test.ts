import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { createTestChurch, type TestChurch } from '../helpers/session.js';

/**
 * The operations no other suite sees succeed, each called once to a 2xx so the contract check
 * validates its success body against the document (the coverage check of the global teardown
 * requires every operation to be). Behaviour is tested in the modules' own suites.
 */
const OPS_TOKEN = 'operations-walk-ops-token-0123456789';
let stack: TestStack;
let church: TestChurch;

beforeAll(async () => {
  stack = await createTestStack('sqlite', { OPS_TOKEN });
  church = await createTestChurch(stack, { roles: ['admin'] });
});
afterAll(() => stack.close());

async function call(method: string, url: string, payload?: unknown, headers = church.as('admin')) {
  const res = await stack.app.inject({ method: method as 'GET', url, payload: payload as object, headers });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.statusCode === 204 ? undefined : res.json().data;
}

describe('every operation answers 2xx somewhere', () => {
  it('people, tags, households, groups and events: get, change, delete', async () => {
    const person = await call('POST', '/api/people', { firstName: 'Walk', lastName: 'Er' });
    const tag = await call('POST', '/api/tags', { name: 'Choir' });
    expect(await call('GET', `/api/tags/${tag.id}`)).toMatchObject({ name: 'Choir' });
    await call('PATCH', `/api/tags/${tag.id}`, { name: 'Choir 2' });
    await call('PUT', `/api/people/${person.id}/tags/${tag.id}`);
    expect(await call('GET', `/api/people/${person.id}/tags`)).toHaveLength(1);
    await call('DELETE', `/api/tags/${tag.id}`);

    const home = await call('POST', '/api/households', { name: 'Walk family' });
    await call('POST', `/api/households/${home.id}/members`, { personId: person.id, role: 'head' });
    expect(await call('GET', `/api/households/${home.id}/members`)).toHaveLength(1);

    const group = await call('POST', '/api/groups', { name: 'Walkers' });
    expect(await call('GET', `/api/groups/${group.id}`)).toMatchObject({ name: 'Walkers' });
    await call('PATCH', `/api/groups/${group.id}`, { description: 'On foot' });
    await call('POST', `/api/groups/${group.id}/members`, { personId: person.id });
    await call('DELETE', `/api/groups/${group.id}/members/${person.id}`);
    await call('DELETE', `/api/groups/${group.id}`);

    const event = await call('POST', '/api/events', { name: 'Walk', startsAt: '2025-05-04T15:00:00Z' });
    expect(await call('GET', `/api/events/${event.id}`)).toMatchObject({ name: 'Walk' });
    await call('PATCH', `/api/events/${event.id}`, { location: 'Park' });
    await call('POST', `/api/events/${event.id}/attendance`, { personIds: [person.id] });
    await call('DELETE', `/api/events/${event.id}/attendance/${person.id}`);
    await call('DELETE', `/api/events/${event.id}`);

    expect(await call('GET', `/api/users/${church.users.admin.id}`)).toMatchObject({ role: 'admin' });
  });

  it('giving: change and delete funds, batches and donations', async () => {
    const fund = await call('POST', '/api/funds', { name: 'Walk fund' });
    await call('PATCH', `/api/funds/${fund.id}`, { description: 'For walks' });
    const batch = await call('POST', '/api/batches', { name: 'Sunday', date: '2025-05-04' });
    await call('PATCH', `/api/batches/${batch.id}`, { name: 'Sunday AM' });
    const gift = { fundId: fund.id, amountCents: 500, receivedOn: '2025-05-04', method: 'cash' };
    const donation = await call('POST', '/api/donations', { ...gift, batchId: batch.id });
    await call('DELETE', `/api/donations/${donation.id}`);
    await call('DELETE', `/api/batches/${batch.id}`);
    await call('DELETE', `/api/funds/${fund.id}`);
  });

  it('operator routes: list churches, export one', async () => {
    const ops = { authorization: `Bearer ${OPS_TOKEN}` };
    const tenants = await call('GET', '/api/ops/tenants', undefined, ops);
    expect(tenants.map((t: { id: string }) => t.id)).toContain(church.id);
    expect(await call('POST', `/api/ops/tenants/${church.slug}/export`, undefined, ops)).toEqual({
      file: expect.any(String),
    });
  });
});
