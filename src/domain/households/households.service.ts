import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, appendAudit } from '../audit/audit.repository.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { isForeignKeyViolation } from '../../infra/db/errors.js';
import { findPerson } from '../people/people.repository.js';
import { type AddressFields, addressColumns, addressFields } from '../postal-address.js';
import { searchKey } from '../search.js';
import * as repo from './households.repository.js';
import type { HouseholdRole, HouseholdRow, HouseholdUpdate } from './households.table.js';

export interface HouseholdInput extends Partial<AddressFields> {
  name: string;
}

export const HouseholdErrors = {
  notFound: () => Errors.notFound('household'),
  inOtherHousehold: () =>
    Errors.conflict('This person already belongs to another household; remove them from it first.'),
  notMember: () => Errors.notFound('household member'),
  stillReferenced: () =>
    Errors.conflict(
      'This household is referenced by other records (for example donations) and cannot be deleted.',
    ),
};

export function toHousehold(row: HouseholdRow) {
  return {
    id: row.id,
    name: row.name,
    ...addressFields(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type Household = ReturnType<typeof toHousehold>;

function columns(input: Partial<HouseholdInput>): HouseholdUpdate {
  const c: HouseholdUpdate = addressColumns(input);
  if (input.name !== undefined) {
    c.name = input.name;
    c.name_key = searchKey(input.name);
  }
  return c;
}

export async function getHousehold(db: TenantDb, id: string): Promise<Household> {
  const row = await repo.findHousehold(db, id);
  if (!row) throw HouseholdErrors.notFound();
  return toHousehold(row);
}

/** A household with its members, for GET /households/:id. */
export async function getHouseholdWithMembers(db: TenantDb, id: string) {
  const household = await getHousehold(db, id);
  return { ...household, members: await listHouseholdMembers(db, id) };
}

export async function listHouseholdMembers(db: TenantDb, id: string) {
  const rows = await repo.listMembers(db, id);
  return rows.map((r) => ({
    personId: r.person_id,
    role: r.role,
    firstName: r.first_name,
    lastName: r.last_name,
    preferredName: r.preferred_name,
    addedAt: r.created_at,
  }));
}

export async function listHouseholds(db: TenantDb, q: { q?: string; cursor?: string; limit: number }) {
  const rows = await repo.listHouseholds(db, { q: q.q, after: decodeCursor(q.cursor, 2), limit: q.limit });
  const page = pageOf(rows, q.limit, (r) => [r.name_key, r.id]);
  return { items: page.items.map(toHousehold), nextCursor: page.nextCursor };
}

export async function createHousehold(db: TenantDb, actor: Actor, input: HouseholdInput): Promise<Household> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const id = uuidv7();
    await repo.insertHousehold(trx, {
      ...(columns(input) as Required<HouseholdUpdate>),
      id,
      created_at: now,
      updated_at: now,
    });
    const after = await getHousehold(trx, id);
    await appendAudit(trx, actor, { action: 'create', entity: 'household', entityId: id, after });
    return after;
  });
}

export async function updateHousehold(
  db: TenantDb,
  actor: Actor,
  id: string,
  patch: Partial<HouseholdInput>,
): Promise<Household> {
  return db.transaction().execute(async (trx) => {
    const before = await getHousehold(trx, id);
    const cols = columns(patch);
    if (Object.keys(cols).length > 0) {
      await repo.updateHousehold(trx, id, { ...cols, updated_at: new Date().toISOString() });
    }
    const after = await getHousehold(trx, id);
    await appendAudit(trx, actor, { action: 'update', entity: 'household', entityId: id, before, after });
    return after;
  });
}

export async function deleteHousehold(db: TenantDb, actor: Actor, id: string): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const before = await getHousehold(trx, id);
      await repo.deleteHousehold(trx, id);
      await appendAudit(trx, actor, { action: 'delete', entity: 'household', entityId: id, before });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw HouseholdErrors.stillReferenced();
    throw err;
  }
}

/**
 * Adds a person to a household. A person in another household -> 409 (one household each);
 * adding someone already in this household changes their role.
 */
export async function addHouseholdMember(
  db: TenantDb,
  actor: Actor,
  householdId: string,
  input: { personId: string; role: HouseholdRole },
) {
  return db.transaction().execute(async (trx) => {
    await getHousehold(trx, householdId);
    if (!(await findPerson(trx, input.personId))) throw Errors.notFound('person');
    const current = await repo.findMembership(trx, input.personId);
    if (current && current.household_id !== householdId) throw HouseholdErrors.inOtherHousehold();
    await repo.upsertMembership(trx, {
      person_id: input.personId,
      household_id: householdId,
      role: input.role,
      created_at: current?.created_at ?? new Date().toISOString(),
    });
    const after = { householdId, personId: input.personId, role: input.role };
    const before = current ? { householdId, personId: input.personId, role: current.role } : null;
    await appendAudit(trx, actor, {
      action: current ? 'update' : 'create',
      entity: 'household_member',
      entityId: `${householdId}:${input.personId}`,
      before,
      after,
    });
    return after;
  });
}

export async function removeHouseholdMember(
  db: TenantDb,
  actor: Actor,
  householdId: string,
  personId: string,
) {
  await db.transaction().execute(async (trx) => {
    await getHousehold(trx, householdId);
    const current = await repo.findMembership(trx, personId);
    if (!current || current.household_id !== householdId) throw HouseholdErrors.notMember();
    await repo.deleteMembership(trx, personId);
    await appendAudit(trx, actor, {
      action: 'delete',
      entity: 'household_member',
      entityId: `${householdId}:${personId}`,
      before: { householdId, personId, role: current.role },
    });
  });
}
