import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { isForeignKeyViolation } from '../../infra/db/errors.js';
import {
  findHousehold,
  findMembership,
  upsertMembership,
  deleteMembership,
} from '../households/households.repository.js';
import { searchKey, searchKeyOrNull } from '../search.js';
import * as repo from './people.repository.js';
import type { MembershipStatus, PersonUpdate } from './people.table.js';

export interface PersonInput {
  firstName: string;
  lastName: string;
  preferredName?: string | null;
  email?: string | null;
  phone?: string | null;
  birthDate?: string | null;
  gender?: string | null;
  membershipStatus?: MembershipStatus;
  householdId?: string | null;
  notes?: string | null;
}
export type PersonPatch = Partial<PersonInput>;

/** The API shape of a person. */
export function toPerson(row: repo.PersonWithHousehold) {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    preferredName: row.preferred_name,
    email: row.email,
    phone: row.phone,
    birthDate: row.birth_date,
    gender: row.gender,
    membershipStatus: row.membership_status,
    householdId: row.household_id,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Person = ReturnType<typeof toPerson>;

export const PeopleErrors = {
  notFound: () => Errors.notFound('person'),
  stillReferenced: () =>
    Errors.conflict(
      'This person is referenced by other records (for example donations) and cannot be deleted.',
    ),
};

/** Columns for the fields present in `input`, with their search keys kept in step. */
export function personColumns(input: PersonPatch): PersonUpdate {
  const c: PersonUpdate = {};
  if (input.firstName !== undefined) {
    c.first_name = input.firstName;
    c.first_name_key = searchKey(input.firstName);
  }
  if (input.lastName !== undefined) {
    c.last_name = input.lastName;
    c.last_name_key = searchKey(input.lastName);
  }
  if (input.preferredName !== undefined) {
    c.preferred_name = input.preferredName;
    c.preferred_name_key = searchKeyOrNull(input.preferredName);
  }
  if (input.email !== undefined) {
    c.email = input.email;
    c.email_key = searchKeyOrNull(input.email);
  }
  if (input.phone !== undefined) c.phone = input.phone;
  if (input.birthDate !== undefined) c.birth_date = input.birthDate;
  if (input.gender !== undefined) c.gender = input.gender;
  if (input.membershipStatus !== undefined) c.membership_status = input.membershipStatus;
  if (input.notes !== undefined) c.notes = input.notes;
  return c;
}

export async function getPerson(db: TenantDb, id: string): Promise<Person> {
  const row = await repo.findPerson(db, id);
  if (!row) throw PeopleErrors.notFound();
  return toPerson(row);
}

export async function listPeople(
  db: TenantDb,
  q: {
    q?: string;
    membershipStatus?: MembershipStatus;
    tag?: string;
    group?: string;
    cursor?: string;
    limit: number;
  },
) {
  const rows = await repo.listPeople(db, {
    q: q.q,
    membershipStatus: q.membershipStatus,
    tagId: q.tag,
    groupId: q.group,
    after: decodeCursor(q.cursor, 3),
    limit: q.limit,
  });
  const page = pageOf(rows, q.limit, (r) => [r.last_name_key, r.first_name_key, r.id]);
  return { items: page.items.map(toPerson), nextCursor: page.nextCursor };
}

/** Puts a person in a household (or takes them out with null), keeping one household per person. */
async function setHousehold(trx: TenantDb, personId: string, householdId: string | null, now: string) {
  if (householdId === null) return deleteMembership(trx, personId);
  if (!(await findHousehold(trx, householdId))) throw Errors.notFound('household');
  const current = await findMembership(trx, personId);
  if (current?.household_id === householdId) return;
  await upsertMembership(trx, {
    person_id: personId,
    household_id: householdId,
    role: 'other',
    created_at: now,
  });
}

export async function createPerson(db: TenantDb, actor: Actor, input: PersonInput): Promise<Person> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const id = uuidv7();
    const cols = personColumns({ membershipStatus: 'visitor', ...input });
    await repo.insertPerson(trx, {
      ...(cols as Required<typeof cols>),
      id,
      created_at: now,
      updated_at: now,
    });
    if (input.householdId) await setHousehold(trx, id, input.householdId, now);
    const person = await getPerson(trx, id);
    await appendAudit(trx, actor, { action: 'create', entity: 'person', entityId: id, after: person });
    return person;
  });
}

export async function updatePerson(
  db: TenantDb,
  actor: Actor,
  id: string,
  patch: PersonPatch,
): Promise<Person> {
  return db.transaction().execute(async (trx) => {
    const before = await getPerson(trx, id);
    const now = new Date().toISOString();
    const cols = personColumns(patch);
    if (Object.keys(cols).length > 0) await repo.updatePerson(trx, id, { ...cols, updated_at: now });
    if (patch.householdId !== undefined) await setHousehold(trx, id, patch.householdId, now);
    const after = await getPerson(trx, id);
    await appendAudit(trx, actor, { action: 'update', entity: 'person', entityId: id, before, after });
    return after;
  });
}

export async function deletePerson(db: TenantDb, actor: Actor, id: string): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const before = await getPerson(trx, id);
      await repo.deletePerson(trx, id);
      await appendAudit(trx, actor, { action: 'delete', entity: 'person', entityId: id, before });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw PeopleErrors.stillReferenced();
    throw err;
  }
}
