import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../errors/app-error.js';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, type AuditEntry, appendAuditMany } from '../audit/audit.repository.js';
import type { NewPersonRow, PersonUpdate } from '../people/people.table.js';
import { personColumns } from '../people/people.service.js';
import { searchKey } from '../search.js';
import { type ImportRow, parsePeopleCsv, type RowReport } from './people-csv.js';

export interface ImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rows: RowReport[];
}

const CHUNK = 500;
const chunks = <T>(xs: T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));
const nameKey = (first: string, last: string, birth: string | null) =>
  `${searchKey(first)}\u0000${searchKey(last)}\u0000${birth ?? ''}`;

/** Thrown inside the transaction to roll a dry run back after computing its exact report. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run');
  }
}

type Candidate = NewPersonRow & { household_id: string | null };

async function loadCandidates(trx: TenantDb, rows: ImportRow[]) {
  const emailKeys = [...new Set(rows.flatMap((r) => (r.email ? [searchKey(r.email)] : [])))];
  const lastKeys = [...new Set(rows.map((r) => searchKey(r.lastName)))];
  const byId = new Map<string, Candidate>();
  const load = async (column: 'people.email_key' | 'people.last_name_key', keys: string[]) => {
    for (const part of chunks(keys)) {
      const found = await trx
        .selectFrom('people')
        .leftJoin('household_members as hm', 'hm.person_id', 'people.id')
        .selectAll('people')
        .select('hm.household_id')
        .where(column, 'in', part)
        .execute();
      for (const p of found) byId.set(p.id, p);
    }
  };
  await load('people.email_key', emailKeys);
  await load('people.last_name_key', lastKeys);
  const byEmail = new Map<string, Candidate[]>();
  const byName = new Map<string, Candidate[]>();
  for (const p of byId.values()) {
    if (p.email_key) byEmail.set(p.email_key, [...(byEmail.get(p.email_key) ?? []), p]);
    const k = nameKey(p.first_name, p.last_name, p.birth_date ?? null);
    byName.set(k, [...(byName.get(k) ?? []), p]);
  }
  return { byEmail, byName };
}

/** Household ids by name key, creating the missing ones (audited). */
async function resolveHouseholds(trx: TenantDb, rows: ImportRow[], audit: AuditEntry[], now: string) {
  const names = new Map<string, string>();
  for (const r of rows) if (r.household) names.set(searchKey(r.household), r.household);
  const ids = new Map<string, string>();
  for (const part of chunks([...names.keys()])) {
    const found = await trx
      .selectFrom('households')
      .select(['id', 'name_key'])
      .where('name_key', 'in', part)
      .orderBy('id')
      .execute();
    for (const h of found) if (!ids.has(h.name_key)) ids.set(h.name_key, h.id);
  }
  for (const [key, name] of names) {
    if (ids.has(key)) continue;
    const id = uuidv7();
    await trx
      .insertInto('households')
      .values({ id, name, name_key: key, created_at: now, updated_at: now })
      .execute();
    ids.set(key, id);
    audit.push({ action: 'create', entity: 'household', entityId: id, after: { id, name } });
  }
  return ids;
}

/** Fields the row sets (empty cells leave existing values alone). */
function rowFields(r: ImportRow) {
  return {
    firstName: r.firstName,
    lastName: r.lastName,
    ...(r.email !== null && { email: r.email }),
    ...(r.phone !== null && { phone: r.phone }),
    ...(r.birthDate !== null && { birthDate: r.birthDate }),
    ...(r.membershipStatus !== null && { membershipStatus: r.membershipStatus }),
  };
}

async function apply(trx: TenantDb, actor: Actor, rows: ImportRow[], dryRun: boolean): Promise<ImportResult> {
  const now = new Date().toISOString();
  const { byEmail, byName } = await loadCandidates(trx, rows);
  const reports: RowReport[] = [];
  const claimed = new Map<string, number>();
  const plans: Array<{ row: ImportRow; match?: Candidate }> = [];
  for (const r of rows) {
    const viaEmail = r.email ? byEmail.get(searchKey(r.email)) : undefined;
    const matches = viaEmail?.length
      ? viaEmail
      : (byName.get(nameKey(r.firstName, r.lastName, r.birthDate)) ?? []);
    const errors: string[] = [];
    if (matches.length > 1) errors.push('matches more than one person; add an email to tell them apart');
    const key =
      matches[0]?.id ??
      (r.email ? `e:${searchKey(r.email)}` : `n:${nameKey(r.firstName, r.lastName, r.birthDate)}`);
    const earlier = claimed.get(key);
    if (earlier !== undefined) errors.push(`duplicates row ${earlier}`);
    claimed.set(key, r.row);
    reports.push({ row: r.row, status: errors.length ? 'error' : 'ok', errors });
    plans.push({ row: r, match: matches[0] });
  }
  if (reports.some((r) => r.status === 'error')) throw importFailed(reports);

  const audit: AuditEntry[] = [];
  const households = await resolveHouseholds(trx, rows, audit, now);
  const inserts: NewPersonRow[] = [];
  const memberships: Array<{ person_id: string; household_id: string; role: 'other'; created_at: string }> =
    [];
  for (const [i, { row, match }] of plans.entries()) {
    const report = reports[i]!;
    const householdId = row.household ? households.get(searchKey(row.household))! : null;
    const fields = rowFields(row);
    if (!match) {
      const id = uuidv7();
      const cols = personColumns({ membershipStatus: 'visitor', ...fields });
      inserts.push({ ...(cols as Required<PersonUpdate>), id, created_at: now, updated_at: now });
      if (householdId)
        memberships.push({ person_id: id, household_id: householdId, role: 'other', created_at: now });
      audit.push({ action: 'create', entity: 'person', entityId: id, after: { id, ...fields, householdId } });
      Object.assign(report, { status: 'created', personId: id });
      continue;
    }
    const wanted = personColumns(fields) as Record<string, unknown>;
    const current = match as unknown as Record<string, unknown>;
    const changed = Object.fromEntries(
      Object.entries(wanted).filter(([k, v]) => current[k] !== v),
    ) as PersonUpdate;
    const moveHousehold = householdId !== null && match.household_id !== householdId;
    report.personId = match.id;
    if (Object.keys(changed).length === 0 && !moveHousehold) {
      report.status = 'unchanged';
      continue;
    }
    if (Object.keys(changed).length > 0) {
      await trx
        .updateTable('people')
        .set({ ...changed, updated_at: now })
        .where('id', '=', match.id)
        .execute();
    }
    if (moveHousehold) {
      await trx.deleteFrom('household_members').where('person_id', '=', match.id).execute();
      memberships.push({ person_id: match.id, household_id: householdId, role: 'other', created_at: now });
    }
    const before = Object.fromEntries(Object.keys(changed).map((k) => [k, current[k]]));
    audit.push({
      action: 'update',
      entity: 'person',
      entityId: match.id,
      before: { ...before, ...(moveHousehold && { householdId: match.household_id }) },
      after: { ...changed, ...(moveHousehold && { householdId }) },
    });
    report.status = 'updated';
  }
  for (const part of chunks(inserts)) await trx.insertInto('people').values(part).execute();
  for (const part of chunks(memberships)) await trx.insertInto('household_members').values(part).execute();
  const count = (s: RowReport['status']) => reports.filter((r) => r.status === s).length;
  const result = {
    dryRun,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rows: reports,
  };
  if (audit.length > 0) {
    audit.push({
      action: 'import',
      entity: 'people_import',
      entityId: uuidv7(),
      after: { created: result.created, updated: result.updated, unchanged: result.unchanged },
    });
    await appendAuditMany(trx, actor, audit);
  }
  return result;
}

function importFailed(rows: RowReport[]) {
  const bad = rows.filter((r) => r.status === 'error').length;
  return new AppError('UNPROCESSABLE', `${bad} row(s) have errors; nothing was imported.`, {
    extensions: { rows },
  });
}

/**
 * Imports people from CSV, all or nothing: any bad row -> 422 with a per-row report and no
 * writes. Matches existing people on email, else on name + birth date, so re-importing the same
 * file changes nothing. A dry run computes the same report and rolls back.
 */
export async function importPeople(db: TenantDb, actor: Actor, csv: string, opts: { dryRun: boolean }) {
  const { rows, errors } = parsePeopleCsv(csv);
  if (errors.size > 0) {
    throw importFailed(
      rows.map((r) => ({
        row: r.row,
        status: errors.has(r.row) ? 'error' : 'ok',
        errors: errors.get(r.row) ?? [],
      })),
    );
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await apply(trx, actor, rows, opts.dryRun);
      if (opts.dryRun) throw new DryRun(result);
      return result;
    });
  } catch (err) {
    if (err instanceof DryRun) return err.result;
    throw err;
  }
}
