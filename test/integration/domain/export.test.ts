import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/dialects.js';
import { createDomainStack, type DomainStack } from './domain-stack.js';

describe.each(DIALECTS)('church export on %s', (dialect) => {
  let h: DomainStack;
  beforeAll(async () => {
    h = await createDomainStack(dialect);
  });
  afterAll(() => h.close());

  it('streams every table of the church, paged past one page, admin only', async () => {
    const lines = ['firstName,lastName,email,household'];
    for (let i = 0; i < 1200; i++) lines.push(`P${i},Ex,p${i}@example.org,House ${i % 7}`);
    const imported = await h.app.inject({
      method: 'POST',
      url: '/api/imports/people',
      payload: lines.join('\n'),
      headers: { 'content-type': 'text/csv', ...h.as() },
    });
    expect(imported.statusCode).toBe(200);
    const g = await h.app.inject({
      method: 'POST',
      url: '/api/groups',
      payload: { name: 'Choir' },
      headers: h.as(),
    });
    expect(g.statusCode).toBe(201);
    await h.app.inject({
      method: 'POST',
      url: '/api/people',
      payload: { firstName: 'Only', lastName: 'B' },
      headers: h.as('b'),
    });

    for (const role of ['staff', 'finance', 'viewer'] as const) {
      const denied = await h.app.inject({
        method: 'GET',
        url: '/api/church/export',
        headers: h.as('a', role),
      });
      expect(denied.statusCode).toBe(403);
    }
    const res = await h.app.inject({ method: 'GET', url: '/api/church/export', headers: h.as() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const doc = res.json().data;
    expect(doc.tables.church).toHaveLength(1);
    expect(doc.tables.church[0].slug).toBe(h.a.slug);
    expect(doc.tables.people).toHaveLength(1200);
    expect(new Set(doc.tables.people.map((p: { id: string }) => p.id)).size).toBe(1200);
    expect(doc.tables.people.some((p: { first_name: string }) => p.first_name === 'Only')).toBe(false);
    expect(doc.tables.people[0]).not.toHaveProperty('last_name_key');
    expect(doc.tables.household_members).toHaveLength(1200);
    expect(doc.tables.households).toHaveLength(7);
    expect(doc.tables.groups.map((x: { name: string }) => x.name)).toEqual(['Choir']);
    expect(doc.tables.audit_log.length).toBeGreaterThan(1200);
    for (const u of doc.tables.users) expect(u).not.toHaveProperty('password_hash');
  });
});
