import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import { isForeignKeyViolation } from '../../infra/db/errors.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import type { FieldValue } from '../custom-fields/custom-field-value.js';
import {
  customValuesOf,
  resolveFilter,
  resolveValues,
  writeCustomValues,
  fieldDefs,
} from '../custom-fields/custom-fields.service.js';
import { decodeCursor, pageOf } from '../cursor.js';
import {
  deleteExternalIdsOf,
  type ExternalRef,
  externalIdsOf,
  resolveExternalIds,
  setExternalIds,
} from '../external-ids/external-ids.repository.js';
import {
  deleteMembership,
  findHousehold,
  findMembership,
  upsertMembership,
} from '../households/households.repository.js';
import type { HouseholdRole } from '../households/households.table.js';
import { searchKey, searchKeyOrNull } from '../search.js';
import { isBirthDate } from './birth-date.js';
import * as repo from './people.repository.js';
import type { MembershipStatus, PersonUpdate } from './people.table.js';
import { contactsOf, setContacts } from './person-contacts.repository.js';

export interface PersonInput {
  firstName: string;
  lastName: string;
  middleName?: string | null;
  suffix?: string | null;
  preferredName?: string | null;
  email?: string | null;
  phone?: string | null;
  otherEmails?: Array<{ address: string; label: string | null }>;
  otherPhones?: Array<{ number: string; label: string | null }>;
  birthDate?: string | null;
  gender?: string | null;
  membershipStatus?: MembershipStatus;
  householdId?: string | null;
  householdRole?: HouseholdRole;
  externalIds?: ExternalRef[];
  customFields?: Record<string, FieldValue | null>;
  notes?: string | null;
}
export type PersonPatch = Partial<PersonInput>;

/** The API shape of a person. */
export function toPerson(
  row: repo.PersonWithHousehold,
  more: {
    contacts?: {
      email: Array<{ value: string; label: string | null }>;
      phone: Array<{ value: string; label: string | null }>;
    };
    externalIds?: ExternalRef[];
    customFields?: Record<string, FieldValue>;
  } = {},
) {
  return {
    id: row.id,
    firstName: row.first_name,
    middleName: row.middle_name,
    lastName: row.last_name,
    suffix: row.suffix,
    preferredName: row.preferred_name,
    email: row.email,
    phone: row.phone,
    otherEmails: (more.contacts?.email ?? []).map((c) => ({ address: c.value, label: c.label })),
    otherPhones: (more.contacts?.phone ?? []).map((c) => ({ number: c.value, label: c.label })),
    birthDate: row.birth_date,
    gender: row.gender,
    membershipStatus: row.membership_status,
    householdId: row.household_id,
    householdRole: row.household_role,
    externalIds: more.externalIds ?? [],
    customFields: more.customFields ?? {},
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Person = ReturnType<typeof toPerson>;

/** People rows with their contacts, external ids and custom values: three queries for any count. */
async function withDetails(db: TenantDb, rows: repo.PersonWithHousehold[]): Promise<Person[]> {
  const ids = rows.map((r) => r.id);
  const [contacts, externalIds, custom] = await Promise.all([
    contactsOf(db, ids),
    externalIdsOf(db, 'person', ids),
    customValuesOf(db, ids),
  ]);
  return rows.map((r) =>
    toPerson(r, {
      contacts: contacts.get(r.id),
      externalIds: externalIds.get(r.id),
      customFields: custom.get(r.id),
    }),
  );
}

export const PeopleErrors = {
  notFound: () => Errors.notFound('person'),
  stillReferenced: () =>
    Errors.conflict(
      'This person is referenced by other records (for example donations) and cannot be deleted.',
    ),
  externalIdTaken: (ref: ExternalRef) =>
    Errors.conflict(`The external id ${ref.source}:${ref.id} belongs to another person.`),
  invalid: (path: string, message: string) => Errors.validation([{ path, message }]),
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
  if (input.middleName !== undefined) c.middle_name = input.middleName;
  if (input.suffix !== undefined) c.suffix = input.suffix;
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
  return (await withDetails(db, [row]))[0]!;
}

export async function listPeople(
  db: TenantDb,
  q: {
    q?: string;
    membershipStatus?: MembershipStatus;
    tag?: string;
    group?: string;
    field?: string[];
    cursor?: string;
    limit: number;
  },
) {
  const fields = [];
  for (const [i, f] of (q.field ?? []).entries())
    fields.push(await resolveFilter(db, f, `/query/field/${i}`));
  const rows = await repo.listPeople(db, {
    q: q.q,
    membershipStatus: q.membershipStatus,
    tagId: q.tag,
    groupId: q.group,
    fields,
    after: decodeCursor(q.cursor, 3),
    limit: q.limit,
  });
  const page = pageOf(rows, q.limit, (r) => [r.last_name_key, r.first_name_key, r.id]);
  return { items: await withDetails(db, page.items), nextCursor: page.nextCursor };
}

/** Puts a person in a household (or takes them out with null), keeping one household per person. */
async function setHousehold(
  trx: TenantDb,
  personId: string,
  householdId: string | null,
  role: HouseholdRole | undefined,
  now: string,
) {
  if (householdId === null) return deleteMembership(trx, personId);
  if (!(await findHousehold(trx, householdId))) throw Errors.notFound('household');
  const current = await findMembership(trx, personId);
  const wanted = role ?? (current?.household_id === householdId ? current.role : 'other');
  if (current?.household_id === householdId && current.role === wanted) return;
  await upsertMembership(trx, {
    person_id: personId,
    household_id: householdId,
    role: wanted,
    created_at: now,
  });
}

/** Writes everything of `input` that lives outside the people row. */
async function writeDetails(trx: TenantDb, id: string, input: PersonPatch, now: string) {
  if (input.birthDate && !isBirthDate(input.birthDate))
    throw PeopleErrors.invalid('/body/birthDate', 'is not a real date');
  if (input.householdRole !== undefined && input.householdId === undefined) {
    const current = await findMembership(trx, id);
    if (!current) throw PeopleErrors.invalid('/body/householdRole', 'needs a household');
    await setHousehold(trx, id, current.household_id, input.householdRole, now);
  }
  if (input.householdId !== undefined)
    await setHousehold(trx, id, input.householdId, input.householdRole, now);
  if (input.otherEmails)
    await setContacts(
      trx,
      id,
      'email',
      input.otherEmails.map((e) => ({ value: e.address, label: e.label })),
    );
  if (input.otherPhones)
    await setContacts(
      trx,
      id,
      'phone',
      input.otherPhones.map((p) => ({ value: p.number, label: p.label })),
    );
  if (input.externalIds) {
    for (const ref of input.externalIds) {
      const holder = (await resolveExternalIds(trx, 'person', ref.source, [ref.id])).get(ref.id);
      if (holder && holder !== id) throw PeopleErrors.externalIdTaken(ref);
    }
    await setExternalIds(trx, 'person', id, input.externalIds, now);
  }
  if (input.customFields)
    await writeCustomValues(trx, id, resolveValues(await fieldDefs(trx), input.customFields));
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
    await writeDetails(trx, id, { ...input, householdId: input.householdId ?? undefined }, now);
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
    await writeDetails(trx, id, patch, now);
    const after = await getPerson(trx, id);
    await appendAudit(trx, actor, { action: 'update', entity: 'person', entityId: id, before, after });
    return after;
  });
}

export async function deletePerson(db: TenantDb, actor: Actor, id: string): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const before = await getPerson(trx, id);
      await deleteExternalIdsOf(trx, 'person', id);
      await repo.deletePerson(trx, id);
      await appendAudit(trx, actor, { action: 'delete', entity: 'person', entityId: id, before });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw PeopleErrors.stillReferenced();
    throw err;
  }
}
