import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

// Through buildApp and the real tenant-context hook (verified tokens, leased tenant databases).
describe.each(DIALECTS)('domain routes behind the real auth hook (catalog on %s)', (dialect) => {
  let stack: TestStack;
  let a: TestChurch;
  let b: TestChurch;
  beforeAll(async () => {
    stack = await createTestStack(dialect);
    a = await createTestChurch(stack);
    b = await createTestChurch(stack);
  });
  afterAll(() => stack.close());

  const call = (method: string, url: string, headers: Record<string, string>, payload?: unknown) =>
    stack.app.inject({ method: method as 'GET', url, headers, payload: payload as object });

  it('enforces roles, keeps churches apart and audits writes', async () => {
    expect((await call('GET', '/api/people', {})).statusCode).toBe(401);
    const created = await call('POST', '/api/people', a.as('staff'), { firstName: 'Ana', lastName: 'Diaz' });
    expect(created.statusCode).toBe(201);
    const ana = created.json().data;
    expect(
      (await call('POST', '/api/people', a.as('viewer'), { firstName: 'V', lastName: 'W' })).statusCode,
    ).toBe(403);
    expect((await call('GET', `/api/people/${ana.id}`, a.as('viewer'))).statusCode).toBe(200);
    expect((await call('GET', '/api/church', a.as('viewer'))).json().data.slug).toBe(a.slug);

    // Church B's tokens never see or change church A's rows.
    expect((await call('GET', `/api/people/${ana.id}`, b.as('admin'))).statusCode).toBe(404);
    expect((await call('PATCH', `/api/people/${ana.id}`, b.as('admin'), { firstName: 'X' })).statusCode).toBe(
      404,
    );
    expect((await call('DELETE', `/api/people/${ana.id}`, b.as('admin'))).statusCode).toBe(404);
    expect((await call('GET', '/api/people', b.as('admin'))).json().data).toEqual([]);
    expect((await call('GET', `/api/people/${ana.id}`, a.as('viewer'))).json().data.firstName).toBe('Ana');

    const log = await call('GET', '/api/audit-log?entity=person', a.as('admin'));
    expect(log.json().data[0]).toMatchObject({
      action: 'create',
      entityId: ana.id,
      actorId: a.users.staff.id,
    });
    expect((await call('GET', '/api/audit-log', a.as('staff'))).statusCode).toBe(403);
    expect((await call('GET', '/api/church/export', a.as('finance'))).statusCode).toBe(403);
    const exported = await call('GET', '/api/church/export', a.as('admin'));
    expect(exported.json().data.tables.people.map((p: { id: string }) => p.id)).toEqual([ana.id]);
  });
});
