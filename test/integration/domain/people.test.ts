import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src/domain/audit/audit.repository.js';
import * as households from '../../../src/domain/households/households.service.js';
import * as people from '../../../src/domain/people/people.service.js';
import * as tags from '../../../src/domain/tags/tags.service.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

const actor = { userId: 'u1', requestId: 'req-1' };

describe.each(DIALECTS)('people, households and tags on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
  });
  afterAll(() => t.close());

  it('creates, searches case-insensitively, filters and pages in a stable order', async () => {
    const names = [
      ['Ana', 'Diaz', 'ana@grace.example', 'member'],
      ['Ángel', 'díaz', null, 'visitor'],
      ['Bob', 'Adams', 'BOB@Example.com', 'member'],
      ['Carla', 'Diaz', null, 'regular'],
      ['Dan', 'Zed', 'dan_z@x.example', 'inactive'],
      ['Eve', 'Adams', null, 'member'],
    ] as const;
    for (const [firstName, lastName, email, membershipStatus] of names) {
      await people.createPerson(t.db, actor, { firstName, lastName, email, membershipStatus });
    }
    const all = await people.listPeople(t.db, { limit: 200 });
    expect(all.items.map((p) => `${p.lastName} ${p.firstName}`)).toEqual([
      'Adams Bob',
      'Adams Eve',
      'Diaz Ana',
      'Diaz Carla',
      'díaz Ángel',
      'Zed Dan',
    ]);
    expect(all.nextCursor).toBeNull();

    // Pages of 2 walk the same order with no gaps or repeats.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await people.listPeople(t.db, { limit: 2, cursor });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((p) => p.id));

    const q = async (text: string) =>
      (await people.listPeople(t.db, { q: text, limit: 50 })).items.map((p) => p.firstName);
    expect(await q('DIA')).toEqual(['Ana', 'Carla']);
    expect(await q('DÍA')).toEqual(['Ángel']);
    expect(await q('ÁNG')).toEqual(['Ángel']);
    expect(await q('bob@example')).toEqual(['Bob']);
    expect(await q('ana diaz')).toEqual(['Ana']);
    expect(await q('dan_')).toEqual(['Dan']);
    expect(await q('%')).toEqual([]);
    const members = await people.listPeople(t.db, { membershipStatus: 'member', limit: 50 });
    expect(members.items.map((p) => p.firstName)).toEqual(['Bob', 'Eve', 'Ana']);
    await expect(people.listPeople(t.db, { cursor: 'not-a-cursor', limit: 5 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('updates and deletes with audit rows holding the diff', async () => {
    const p = await people.createPerson(t.db, actor, { firstName: 'Zoe', lastName: 'Quinn' });
    expect(p.membershipStatus).toBe('visitor');
    const updated = await people.updatePerson(t.db, actor, p.id, { lastName: 'Quincy', phone: '555' });
    expect(updated).toMatchObject({ lastName: 'Quincy', phone: '555', firstName: 'Zoe' });
    expect((await people.listPeople(t.db, { q: 'quincy', limit: 5 })).items).toHaveLength(1);
    await people.deletePerson(t.db, actor, p.id);
    await expect(people.getPerson(t.db, p.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const audit = await listAudit(t.db, { entity: 'person', limit: 200 });
    const mine = audit.filter((r) => r.entity_id === p.id).map((r) => [r.action, JSON.parse(r.changes)]);
    expect(mine.map(([a]) => a)).toEqual(['delete', 'update', 'create']);
    expect(mine[1]![1].before).toMatchObject({ lastName: 'Quinn', phone: null });
    expect(mine[1]![1].after).toMatchObject({ lastName: 'Quincy', phone: '555' });
    expect(audit[0]!.request_id).toBe('req-1');
  });

  it('keeps a person in at most one household', async () => {
    const h1 = await households.createHousehold(t.db, actor, { name: 'Diaz family', city: 'Austin' });
    const h2 = await households.createHousehold(t.db, actor, { name: 'Adams family' });
    const p = await people.createPerson(t.db, actor, {
      firstName: 'Kim',
      lastName: 'Lee',
      householdId: h1.id,
    });
    expect(p.householdId).toBe(h1.id);
    await expect(
      households.addHouseholdMember(t.db, actor, h2.id, { personId: p.id, role: 'adult' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await households.addHouseholdMember(t.db, actor, h1.id, { personId: p.id, role: 'head' });
    const withMembers = await households.getHouseholdWithMembers(t.db, h1.id);
    expect(withMembers.members).toMatchObject([{ personId: p.id, role: 'head', firstName: 'Kim' }]);
    await households.removeHouseholdMember(t.db, actor, h1.id, p.id);
    await expect(households.removeHouseholdMember(t.db, actor, h1.id, p.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await households.addHouseholdMember(t.db, actor, h2.id, { personId: p.id, role: 'child' });
    expect((await people.getPerson(t.db, p.id)).householdId).toBe(h2.id);
    // PATCH may move a person explicitly, or take them out.
    expect((await people.updatePerson(t.db, actor, p.id, { householdId: h1.id })).householdId).toBe(h1.id);
    expect((await people.updatePerson(t.db, actor, p.id, { householdId: null })).householdId).toBeNull();
    await expect(
      people.createPerson(t.db, actor, { firstName: 'X', lastName: 'Y', householdId: 'missing' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const list = await households.listHouseholds(t.db, { q: 'ADA', limit: 10 });
    expect(list.items.map((h) => h.name)).toEqual(['Adams family']);
    await households.deleteHousehold(t.db, actor, h2.id);
    await expect(households.getHousehold(t.db, h2.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tags people idempotently and filters the people list by tag', async () => {
    const youth = await tags.createTag(t.db, actor, { name: 'Youth' });
    await expect(tags.createTag(t.db, actor, { name: 'youth' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const p = await people.createPerson(t.db, actor, { firstName: 'Tia', lastName: 'Tagg' });
    await tags.tagPerson(t.db, actor, p.id, youth.id);
    await tags.tagPerson(t.db, actor, p.id, youth.id);
    expect((await tags.personTags(t.db, p.id)).map((x) => x.name)).toEqual(['Youth']);
    const tagged = await people.listPeople(t.db, { tag: youth.id, limit: 10 });
    expect(tagged.items.map((x) => x.id)).toEqual([p.id]);
    const audit = await listAudit(t.db, { entity: 'person_tag', limit: 10 });
    expect(audit).toHaveLength(1);
    await tags.untagPerson(t.db, actor, p.id, youth.id);
    await tags.untagPerson(t.db, actor, p.id, youth.id);
    expect(await tags.personTags(t.db, p.id)).toEqual([]);
    await expect(tags.tagPerson(t.db, actor, p.id, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await tags.deleteTag(t.db, actor, youth.id);
    expect((await tags.listTags(t.db, { limit: 10 })).items).toEqual([]);
  });
});
