import { v7 as uuidv7 } from 'uuid';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import { valuesOf } from '../custom-fields/custom-fields.repository.js';
import { externalIdsOf, resolveExternalIds } from '../external-ids/external-ids.repository.js';
import type { HouseholdRole } from '../households/households.table.js';
import type { PersonWithHousehold } from '../people/people.repository.js';
import { personColumns } from '../people/people.service.js';
import type { NewPersonRow, PersonUpdate } from '../people/people.table.js';
import { contactsOf } from '../people/person-contacts.repository.js';
import { type AddressFields, addressFields } from '../postal-address.js';
import { searchKey } from '../search.js';
import type { ReportLog, RowError, RowResult } from './import-report.js';
import type { HouseholdRef, PersonImportRow } from './person-import-row.js';
import * as repo from './people-import.repository.js';

/** A household this import uses: found, or to be created. */
export interface PlannedHousehold {
  id: string;
  /** Not in the database before this import. */
  isNew: boolean;
  /** In an earlier chunk's plan (which is written, or the import fails). */
  written: boolean;
  name: string;
  address: Partial<AddressFields>;
  externalId: string | null;
  /** Existing household whose address this import changes (counted once). */
  addressChanged: boolean;
  /** Address changed since an earlier chunk's plan. */
  dirty: boolean;
}

/** State carried from chunk to chunk through one pass over the file. */
export interface PassState {
  source: string;
  log: ReportLog;
  /** In-file identity of each row -> its line, to report duplicates. */
  seen: Map<string, number>;
  /** Existing people matched so far -> the row that matched them. */
  claimed: Map<string, number>;
  /** People this pass creates: never matched by later rows (so a dry run and a real run agree). */
  createdIds: Set<string>;
  households: Map<string, PlannedHousehold>;
  householdsCreated: number;
  householdsUpdated: number;
}

type Contact = { value: string; label: string | null };

/** Everything one chunk will write (plain data). */
export interface ChunkWrites {
  /** When the chunk was planned: its rows' timestamps. */
  now: string;
  inserts: NewPersonRow[];
  updates: Array<{ id: string; set: PersonUpdate }>;
  memberships: Array<{ person_id: string; household_id: string; role: HouseholdRole }>;
  contacts: Array<{ personId: string; kind: 'email' | 'phone'; list: Contact[] }>;
  externalIds: Array<{ source: string; id: string; targetId: string }>;
  custom: Array<{ person_id: string; field_id: string; value: string }>;
  /** Households to create (`insert`) or whose address to update, as they stand after the chunk. */
  households: Array<{
    insert: boolean;
    id: string;
    name: string;
    address: Partial<AddressFields>;
    externalId: string | null;
  }>;
  audit: AuditEntry[];
}

const nameKey = (first: string, last: string, birth: string | null) =>
  `${searchKey(first)}\u0000${searchKey(last)}\u0000${birth ?? ''}`;
const sameContacts = (a: Contact[], b: Contact[]) =>
  a.length === b.length && a.every((c, i) => c.value === b[i]!.value && c.label === b[i]!.label);

/** The row's identity inside the file: its external id, else email + first name, else name + birth date. */
function fileKey(r: PersonImportRow): string {
  if (r.externalId) return `x:${r.externalId}`;
  if (r.emails[0]) return `e:${searchKey(r.emails[0].value)}\u0000${searchKey(r.firstName)}`;
  return `n:${nameKey(r.firstName, r.lastName, r.birthDate)}`;
}

async function resolveHouseholds(db: TenantDb, state: PassState, refs: HouseholdRef[]) {
  const missing = new Map<string, HouseholdRef>();
  for (const h of refs) if (!state.households.has(h.key) && !missing.has(h.key)) missing.set(h.key, h);
  if (missing.size === 0) return;
  const byExt = await resolveExternalIds(
    db,
    'household',
    state.source,
    [...missing.values()].flatMap((h) => (h.externalId ? [h.externalId] : [])),
  );
  const named = [...missing.values()].filter((h) => !h.externalId);
  const candidates = await repo.householdsByNameKeys(
    db,
    named.map((h) => searchKey(h.name)),
  );
  const existing = await repo.householdsByIds(db, [...byExt.values()]);
  const rowsById = new Map([...candidates, ...existing].map((h) => [h.id, h]));
  for (const ref of missing.values()) {
    let found = ref.externalId ? rowsById.get(byExt.get(ref.externalId) ?? '') : undefined;
    if (!ref.externalId) {
      found = candidates.find(
        (c) =>
          searchKey(`name:${c.name}|${c.address_line1 ?? ''}|${c.postal_code ?? ''}`).replace(/\s+/g, ' ') ===
          ref.key,
      );
    }
    state.households.set(ref.key, {
      id: found?.id ?? uuidv7(),
      isNew: !found,
      written: false,
      name: found?.name ?? ref.name,
      address: found ? addressFields(found) : {},
      externalId: ref.externalId,
      addressChanged: false,
      dirty: false,
    });
    if (!found) state.householdsCreated++;
  }
}

/** Applies a row's address to its household; true when that changes it. */
function mergeAddress(h: PlannedHousehold, address: Partial<AddressFields>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(address) as Array<[keyof AddressFields, string]>) {
    if (h.address[k] !== v) {
      h.address[k] = v;
      changed = true;
    }
  }
  return changed;
}

/**
 * Plans one chunk of valid rows: matches each to an existing person (external id, else email and
 * first name, else name and birth date), decides created / updated / unchanged, and lists every
 * write. Reads only; the caller writes (or, in a dry run, does not).
 */
export async function planChunk(
  db: TenantDb,
  state: PassState,
  rows: Array<{ row: PersonImportRow; errors: RowError[] }>,
  now: string,
  dryRun: boolean,
): Promise<ChunkWrites> {
  const w: ChunkWrites = {
    now,
    inserts: [],
    updates: [],
    memberships: [],
    contacts: [],
    externalIds: [],
    custom: [],
    households: [],
    audit: [],
  };
  // In-file duplicates first: they are errors whatever the database holds.
  for (const r of rows) {
    if (r.errors.length) continue;
    const key = fileKey(r.row);
    const earlier = state.seen.get(key);
    if (earlier !== undefined)
      r.errors.push({ row: r.row.row, column: null, message: `duplicates row ${earlier}` });
    else state.seen.set(key, r.row.row);
  }
  const valid = rows.filter((r) => r.errors.length === 0).map((r) => r.row);
  const ext = await resolveExternalIds(
    db,
    'person',
    state.source,
    valid.flatMap((r) => (r.externalId ? [r.externalId] : [])),
  );
  const emailKeys = valid.flatMap((r) => (r.emails[0] ? [searchKey(r.emails[0].value)] : []));
  const byEmail = await repo.candidatesByKeys(db, 'email_key', emailKeys);
  const byName = await repo.candidatesByKeys(
    db,
    'last_name_key',
    valid.filter((r) => !r.emails[0]).map((r) => searchKey(r.lastName)),
  );
  const fresh = <T extends { id: string }>(xs: T[]) => xs.filter((x) => !state.createdIds.has(x.id));

  const matches = new Map<number, { id: string; by: RowResult['matchedBy'] }>();
  for (const r of rows) {
    if (r.errors.length) continue;
    const p = r.row;
    const fail = (message: string) => r.errors.push({ row: p.row, column: null, message });
    let match: { id: string; by: RowResult['matchedBy'] } | undefined;
    const viaExt = p.externalId ? ext.get(p.externalId) : undefined;
    if (viaExt && !state.createdIds.has(viaExt)) match = { id: viaExt, by: 'external-id' };
    else if (p.emails[0]) {
      const e = searchKey(p.emails[0].value);
      const found = fresh(
        byEmail.filter((c) => c.email_key === e && c.first_name_key === searchKey(p.firstName)),
      );
      if (found.length > 1)
        fail(`matches ${found.length} people by email and first name; add an external id`);
      else if (found[0]) match = { id: found[0].id, by: 'email' };
    } else {
      const k = nameKey(p.firstName, p.lastName, p.birthDate);
      const found = fresh(
        byName.filter((c) => nameKey(c.first_name_key, c.last_name_key, c.birth_date) === k),
      );
      if (found.length > 1)
        fail(`matches ${found.length} people by name and birth date; add an email or external id`);
      else if (found[0]) match = { id: found[0].id, by: 'name' };
    }
    if (match) {
      const earlier = state.claimed.get(match.id);
      if (earlier !== undefined) fail(`matches the same person as row ${earlier}`);
      else {
        state.claimed.set(match.id, p.row);
        matches.set(p.row, match);
      }
    }
  }

  const ids = [...matches.values()].map((m) => m.id);
  const [current, contacts, extIds, custom] = await Promise.all([
    repo.peopleByIds(db, ids),
    contactsOf(db, ids),
    externalIdsOf(db, 'person', ids),
    valuesOf(db, ids),
  ]);
  const currentById = new Map<string, PersonWithHousehold>(current.map((p) => [p.id, p]));
  await resolveHouseholds(
    db,
    state,
    rows.flatMap((r) => (r.errors.length === 0 && r.row.household ? [r.row.household] : [])),
  );

  const householdsUsed = new Set<PlannedHousehold>();
  for (const r of rows) {
    const p = r.row;
    if (r.errors.length) {
      for (const e of r.errors) state.log.error(e);
      state.log.result({ row: p.row, action: 'skipped', id: null, matchedBy: null });
      continue;
    }
    const match = matches.get(p.row);
    const before = match ? currentById.get(match.id) : undefined;
    const id = before?.id ?? uuidv7();
    const fields = {
      firstName: p.firstName,
      lastName: p.lastName,
      ...(p.middleName !== null && { middleName: p.middleName }),
      ...(p.suffix !== null && { suffix: p.suffix }),
      ...(p.preferredName !== null && { preferredName: p.preferredName }),
      ...(p.gender !== null && { gender: p.gender }),
      ...(p.birthDate !== null && { birthDate: p.birthDate }),
      ...(p.notes !== null && { notes: p.notes }),
      ...(p.emails[0] && { email: p.emails[0].value }),
      ...(p.phones[0] && { phone: p.phones[0].value }),
      ...(p.membershipStatus !== null && { membershipStatus: p.membershipStatus }),
    };
    const cols = personColumns(before ? fields : { membershipStatus: 'visitor', ...fields });
    const changed: PersonUpdate = {};
    const was: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(cols) as Array<[keyof PersonUpdate, unknown]>) {
      const old = before?.[k as keyof PersonWithHousehold];
      if (!before || old !== v) {
        (changed as Record<string, unknown>)[k] = v;
        if (before && !k.endsWith('_key')) was[k] = old;
      }
    }
    const auditAfter: Record<string, unknown> = Object.fromEntries(
      Object.entries(changed).filter(([k]) => !k.endsWith('_key')),
    );
    const auditBefore: Record<string, unknown> = { ...was };

    for (const [kind, list] of [
      ['email', p.emails.slice(1)],
      ['phone', p.phones.slice(1)],
    ] as const) {
      if (list.length === 0) continue;
      const old = contacts.get(id)?.[kind] ?? [];
      if (before && sameContacts(old, list)) continue;
      w.contacts.push({ personId: id, kind, list });
      auditBefore[`other_${kind}s`] = old;
      auditAfter[`other_${kind}s`] = list;
    }
    if (
      p.externalId &&
      !(extIds.get(id) ?? []).some((x) => x.source === state.source && x.id === p.externalId)
    ) {
      w.externalIds.push({ source: state.source, id: p.externalId, targetId: id });
      auditAfter.externalId = `${state.source}:${p.externalId}`;
    }
    const held = custom.get(id);
    for (const c of p.custom) {
      if (held?.get(c.fieldId) === c.text) continue;
      w.custom.push({ person_id: id, field_id: c.fieldId, value: c.text });
      auditBefore[c.key] = held?.get(c.fieldId) ?? null;
      auditAfter[c.key] = c.text;
    }
    if (p.household) {
      const h = state.households.get(p.household.key)!;
      if (mergeAddress(h, p.household.address)) {
        h.dirty = true;
        if (!h.isNew && !h.addressChanged) {
          h.addressChanged = true;
          state.householdsUpdated++;
        }
      }
      householdsUsed.add(h);
      const sameHousehold = before?.household_id === h.id;
      const role = p.householdRole ?? (sameHousehold ? before!.household_role! : 'other');
      if (!sameHousehold || before?.household_role !== role) {
        w.memberships.push({ person_id: id, household_id: h.id, role });
        auditBefore.household = before ? { id: before.household_id, role: before.household_role } : undefined;
        auditAfter.household = { id: h.id, role };
      }
    }

    const touched = Object.keys(auditAfter).length > 0;
    if (!before) {
      w.inserts.push({
        ...(cols as Required<PersonUpdate>),
        id,
        created_at: now,
        updated_at: now,
      } as NewPersonRow);
      state.createdIds.add(id);
      w.audit.push({ action: 'create', entity: 'person', entityId: id, after: { id, ...auditAfter } });
    } else if (touched) {
      if (Object.keys(changed).length) w.updates.push({ id, set: { ...changed, updated_at: now } });
      w.audit.push({
        action: 'update',
        entity: 'person',
        entityId: id,
        before: auditBefore,
        after: auditAfter,
      });
    }
    state.log.result({
      row: p.row,
      action: !before ? 'created' : touched ? 'updated' : 'unchanged',
      id: before || !dryRun ? id : null,
      matchedBy: match?.by ?? null,
    });
  }
  // Plain data, so that a plan can be kept until the whole file has been checked.
  for (const h of householdsUsed) {
    const insert = h.isNew && !h.written;
    if (insert || h.dirty)
      w.households.push({
        insert,
        id: h.id,
        name: h.name,
        address: { ...h.address },
        externalId: h.externalId,
      });
    h.written = true;
    h.dirty = false;
  }
  return w;
}
