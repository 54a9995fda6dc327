import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { tenantTables } from '../../src/platform/tenant-move/tenant-tables.js';
import { readPages } from '../../src/platform/tenant-move/table-rows.js';
import type { TenantDb } from '../../src/tenancy/tenant-database.js';

// biome-ignore lint/suspicious/noExplicitAny: seeds every table, whatever module owns it
type AnyDb = Kysely<any>;

/**
 * Writes at least one row into every church table a new church leaves empty (a church made by
 * createTestChurch already has its church row, users and refresh tokens), including a reversed
 * donation (a row referring to its own table). A module that adds a table adds its rows here:
 * the move and restore tests check that every table holds data.
 */
export async function seedEveryTable(tdb: TenantDb, actorId: string | null = null): Promise<void> {
  const db = tdb as unknown as AnyDb;
  const at = new Date().toISOString();
  const [p1, p2, p3, hh, tag, group, event, fund, batch, gift, reversal] = Array.from({ length: 11 }, () =>
    uuidv7(),
  );
  const person = (id: string, first: string, last: string, email: string | null) => ({
    id,
    first_name: first,
    last_name: last,
    middle_name: null,
    suffix: first === 'Ana' ? 'Jr.' : null,
    preferred_name: null,
    email,
    phone: null,
    birth_date: '1980-02-29',
    gender: null,
    membership_status: 'member',
    notes: 'Ünïcode notes: ✝ and "quotes"',
    first_name_key: first.toLowerCase(),
    last_name_key: last.toLowerCase(),
    preferred_name_key: null,
    email_key: email?.toLowerCase() ?? null,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto('people')
    .values([
      person(p1!, 'Ana', 'Diaz', 'Ana@example.org'),
      person(p2!, 'Ben', 'Diaz', null),
      person(p3!, 'Zoë', 'Åberg', 'zoe@example.org'),
    ])
    .execute();
  await db
    .insertInto('households')
    .values({ id: hh, name: 'Diaz', name_key: 'diaz', city: 'Austin', created_at: at, updated_at: at })
    .execute();
  await db
    .insertInto('household_members')
    .values([
      { person_id: p1, household_id: hh, role: 'head', created_at: at },
      { person_id: p2, household_id: hh, role: 'child', created_at: at },
    ])
    .execute();
  await db.insertInto('tags').values({ id: tag, name: 'Choir', name_key: 'choir', created_at: at }).execute();
  await db.insertInto('person_tags').values({ person_id: p1, tag_id: tag, created_at: at }).execute();
  await db
    .insertInto('groups')
    .values({
      id: group,
      name: 'Youth',
      name_key: 'youth',
      description: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('group_members')
    .values({ group_id: group, person_id: p3, role: 'leader', created_at: at })
    .execute();
  await db
    .insertInto('events')
    .values({
      id: event,
      name: 'Sunday',
      starts_at: at,
      group_id: group,
      headcount: 120,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('attendance')
    .values({ event_id: event, person_id: p1, checked_in_at: at, checked_in_by: actorId })
    .execute();
  await db
    .insertInto('funds')
    .values({
      id: fund,
      name: 'General',
      description: null,
      tax_deductible: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('batches')
    .values({ id: batch, name: 'Week 1', date: '2026-01-04', status: 'open', created_at: at, updated_at: at })
    .execute();
  const donation = (id: string, cents: number, reverses: string | null) => ({
    id,
    person_id: p1,
    household_id: null,
    batch_id: batch,
    reverses_id: reverses,
    received_on: '2026-01-04',
    method: 'check',
    check_number: '1001',
    note: null,
    amount_cents: cents,
    created_by: actorId,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto('donations')
    .values(donation(gift!, 9_007_199_254_740, null))
    .execute();
  await db
    .insertInto('donations')
    .values(donation(reversal!, -9_007_199_254_740, gift!))
    .execute();
  await db
    .insertInto('donation_splits')
    .values([
      { donation_id: gift, position: 0, fund_id: fund, amount_cents: 9_007_199_254_740 },
      { donation_id: reversal, position: 0, fund_id: fund, amount_cents: -9_007_199_254_740 },
    ])
    .execute();
  await db
    .insertInto('audit_log')
    .values({
      id: uuidv7(),
      at,
      actor_id: actorId,
      action: 'create',
      entity: 'person',
      entity_id: p1,
      changes: '{"first_name":"Ana"}',
      request_id: null,
    })
    .execute();
  const field = uuidv7();
  await db
    .insertInto('custom_fields')
    .values({
      id: field,
      key: 'shirt',
      label: 'T-shirt',
      type: 'choice',
      choices: '["S","M","L"]',
      position: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db.insertInto('person_field_values').values({ person_id: p1, field_id: field, value: 'M' }).execute();
  await db
    .insertInto('person_contacts')
    .values({
      person_id: p1,
      kind: 'email',
      position: 0,
      value: 'ana@work.example',
      value_key: 'ana@work.example',
      label: 'work',
    })
    .execute();
  await db
    .insertInto('external_ids')
    .values({ kind: 'person', source: 'planning-center', external_id: '1001', target_id: p1, created_at: at })
    .execute();
  await db
    .insertInto('imports')
    .values({
      id: uuidv7(),
      kind: 'people',
      status: 'done',
      dry_run: 0,
      options: '{"dryRun":false,"onError":"abort"}',
      phase: null,
      rows_done: 1,
      report: '{"rows":1}',
      problem: null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
      finished_at: at,
    })
    .execute();
  // A queued import keeps its uploaded file in a row of its own until its run ends.
  const queued = uuidv7();
  await db
    .insertInto('imports')
    .values({
      id: queued,
      kind: 'people',
      status: 'queued',
      dry_run: 1,
      options: '{"dryRun":true,"onError":"abort"}',
      phase: null,
      rows_done: 0,
      report: null,
      problem: null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
      finished_at: null,
    })
    .execute();
  await db
    .insertInto('import_file_parts')
    .values({
      import_id: queued,
      part: 0,
      data: Buffer.from('firstName,lastName\nAna,Diaz\n').toString('base64'),
    })
    .execute();
  await db
    .insertInto('mail_outbox')
    .values({
      id: uuidv7(),
      message_id: `<${uuidv7()}@steeple.test>`,
      kind: 'invite',
      to_address: 'new.staff@example.org',
      subject: 'You are invited',
      raw: 'Subject: You are invited\r\n\r\nWelcome ✝',
      dedupe_key: null,
      status: 'sent',
      attempts: 1,
      next_attempt_at: at,
      claimed_until: null,
      last_error: null,
      created_at: at,
      sent_at: at,
    })
    .execute();
  if (actorId)
    await db
      .insertInto('password_resets')
      .values({
        id: uuidv7(),
        user_id: actorId,
        token_hash: uuidv7(),
        created_at: at,
        expires_at: at,
        used_at: at,
      })
      .execute();
  await db
    .insertInto('staff_invites')
    .values({
      id: uuidv7(),
      email: 'invited@example.org',
      role: 'staff',
      token_hash: uuidv7(),
      invited_by: actorId,
      created_at: at,
      expires_at: at,
      accepted_at: null,
      revoked_at: null,
    })
    .execute();
  await db
    .insertInto('year_end_runs')
    .values({
      id: uuidv7(),
      year: 2025,
      status: 'done',
      total: 1,
      queued: 1,
      without_email: 0,
      error: null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
      finished_at: at,
    })
    .execute();
}

/** Every church table's rows, sorted by primary key (as JSON text, so engines compare equal). */
export async function dumpChurch(tdb: TenantDb): Promise<Record<string, string[]>> {
  const db = tdb as unknown as AnyDb;
  const out: Record<string, string[]> = {};
  for (const table of await tenantTables(db)) {
    const rows: string[] = [];
    for await (const page of readPages(db, table))
      for (const r of page) rows.push(JSON.stringify(table.columns.map((c) => [c.name, r[c.name] ?? null])));
    out[table.name] = rows.sort();
  }
  return out;
}

/** Tables with no rows (a seed that misses a table fails the tests that need data everywhere). */
export function emptyTables(dump: Record<string, string[]>): string[] {
  return Object.entries(dump)
    .filter(([, rows]) => rows.length === 0)
    .map(([t]) => t);
}

/** Adds `n` people in one transaction (bulk for copy-time tests and benchmarks); returns their ids. */
export async function addPeople(tdb: TenantDb, n: number): Promise<string[]> {
  const db = tdb as unknown as AnyDb;
  const at = new Date().toISOString();
  const ids = Array.from({ length: n }, () => uuidv7());
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i += 500) {
      await trx
        .insertInto('people')
        .values(
          ids.slice(i, i + 500).map((id, j) => ({
            id,
            first_name: `First${i + j}`,
            last_name: `Last${(i + j) % 97}`,
            email: `p${i + j}@example.org`,
            membership_status: 'member',
            first_name_key: `first${i + j}`,
            last_name_key: `last${(i + j) % 97}`,
            email_key: `p${i + j}@example.org`,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
    }
  });
  return ids;
}
