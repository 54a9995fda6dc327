import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src/domain/audit/audit.repository.js';
import * as attendance from '../../../src/domain/events/attendance.service.js';
import * as events from '../../../src/domain/events/events.service.js';
import * as groups from '../../../src/domain/groups/groups.service.js';
import * as people from '../../../src/domain/people/people.service.js';
import type { TenantDb } from '../../../src/tenancy/tenant-database.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestTenantDb } from '../../helpers/tenant-db.js';

const actor = { userId: 'u1', requestId: 'req-1' };

describe.each(DIALECTS)('groups, events and attendance on %s', (dialect) => {
  let t: { db: TenantDb; close: () => Promise<void> };
  let ids: string[];
  beforeAll(async () => {
    t = await createTestTenantDb(dialect);
    ids = [];
    for (const [firstName, lastName] of [
      ['Ana', 'Diaz'],
      ['Bob', 'Adams'],
      ['Cy', 'Moss'],
    ]) {
      ids.push((await people.createPerson(t.db, actor, { firstName: firstName!, lastName: lastName! })).id);
    }
  });
  afterAll(() => t.close());

  it('manages group members with roles and pages them by name', async () => {
    const g = await groups.createGroup(t.db, actor, { name: 'Choir', description: 'Sunday choir' });
    for (const id of ids) await groups.addGroupMember(t.db, actor, g.id, { personId: id, role: 'member' });
    await groups.addGroupMember(t.db, actor, g.id, { personId: ids[0]!, role: 'leader' });
    const first = await groups.listGroupMembers(t.db, g.id, { limit: 2 });
    expect(first.items.map((m) => [m.lastName, m.role])).toEqual([
      ['Adams', 'member'],
      ['Diaz', 'leader'],
    ]);
    const second = await groups.listGroupMembers(t.db, g.id, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((m) => m.lastName)).toEqual(['Moss']);
    expect(second.nextCursor).toBeNull();
    const leaders = await groups.listGroupMembers(t.db, g.id, { role: 'leader', limit: 10 });
    expect(leaders.items.map((m) => m.personId)).toEqual([ids[0]]);
    await groups.removeGroupMember(t.db, actor, g.id, ids[2]!);
    await expect(groups.removeGroupMember(t.db, actor, g.id, ids[2]!)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      groups.addGroupMember(t.db, actor, g.id, { personId: 'nobody', role: 'member' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await groups.updateGroup(t.db, actor, g.id, { description: null })).description).toBeNull();
    expect((await groups.listGroups(t.db, { q: 'cho', limit: 5 })).items.map((x) => x.name)).toEqual([
      'Choir',
    ]);
  });

  it('checks people in idempotently, keeps headcount and a per-person history', async () => {
    const g = await groups.createGroup(t.db, actor, { name: 'Youth' });
    const e1 = await events.createEvent(t.db, actor, {
      name: 'Sunday service',
      startsAt: '2026-03-01T15:00:00Z',
      endsAt: '2026-03-01T16:30:00Z',
      location: 'Sanctuary',
    });
    const e2 = await events.createEvent(t.db, actor, {
      name: 'Youth night',
      startsAt: '2026-03-06T23:00:00-06:00',
      groupId: g.id,
    });
    expect(e2.startsAt).toBe('2026-03-07T05:00:00.000Z');
    await expect(
      events.createEvent(t.db, actor, {
        name: 'x',
        startsAt: '2026-03-01T15:00:00Z',
        endsAt: '2026-03-01T14:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      events.createEvent(t.db, actor, { name: 'x', startsAt: '2026-03-01T15:00:00Z', groupId: 'nope' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const first = await attendance.checkIn(t.db, actor, e1.id, [ids[0]!, ids[1]!, ids[0]!]);
    expect(first).toMatchObject({ checkedIn: 2, alreadyCheckedIn: 0 });
    const again = await attendance.checkIn(t.db, actor, e1.id, [ids[0]!]);
    expect(again).toMatchObject({ checkedIn: 0, alreadyCheckedIn: 1 });
    expect(again.items[0]).toEqual(first.items.find((a) => a.personId === ids[0]));
    expect(again.items[0]!.checkedInBy).toBe('u1');
    // An unknown person fails the whole batch: Cy is not checked in either.
    await expect(attendance.checkIn(t.db, actor, e1.id, [ids[2]!, 'ghost'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const list = await attendance.listAttendance(t.db, e1.id, { limit: 50 });
    expect(list.items.map((a) => a.personId).sort()).toEqual([ids[0], ids[1]].sort());
    const checkIns = await listAudit(t.db, { entity: 'event', limit: 50 });
    expect(checkIns.filter((r) => r.action === 'check_in')).toHaveLength(1);

    await attendance.checkIn(t.db, actor, e2.id, [ids[0]!]);
    const history = await attendance.personAttendance(t.db, ids[0]!, { limit: 1 });
    expect(history.items.map((h) => h.eventName)).toEqual(['Youth night']);
    const older = await attendance.personAttendance(t.db, ids[0]!, { limit: 1, cursor: history.nextCursor! });
    expect(older.items.map((h) => h.eventName)).toEqual(['Sunday service']);
    const march1 = await attendance.personAttendance(t.db, ids[0]!, {
      from: '2026-03-01',
      to: '2026-03-01',
      limit: 9,
    });
    expect(march1.items.map((h) => h.eventId)).toEqual([e1.id]);

    const counted = await events.setHeadcount(t.db, actor, e1.id, 212);
    expect(counted.headcount).toBe(212);
    const inRange = await events.listEvents(t.db, { from: '2026-03-02', limit: 10 });
    expect(inRange.items.map((e) => e.id)).toEqual([e2.id]);
    const byGroup = await events.listEvents(t.db, { groupId: g.id, limit: 10 });
    expect(byGroup.items.map((e) => e.id)).toEqual([e2.id]);

    await attendance.undoCheckIn(t.db, actor, e1.id, ids[1]!);
    await expect(attendance.undoCheckIn(t.db, actor, e1.id, ids[1]!)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await events.deleteEvent(t.db, actor, e2.id);
    expect((await attendance.personAttendance(t.db, ids[0]!, { limit: 9 })).items).toHaveLength(1);
  });
});
