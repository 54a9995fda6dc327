import { v7 as uuidv7 } from 'uuid';
import type { TenantDb } from '../../tenancy/tenant-database.js';
import { type Actor, type AuditEntry, appendAuditMany } from '../audit/audit.repository.js';
import { linkExternalIds, resolveExternalIds } from '../external-ids/external-ids.repository.js';
import { markCommitted } from '../giving/batches.repository.js';
import { searchKey } from '../search.js';
import { detectPreset, mapColumns, parsePairs } from './column-mapping.js';
import { type GiftImportRow, readGiftRow } from './gift-import-row.js';
import { GIFT_FIELDS, GIVING_PRESETS } from './giving-presets.js';
import { readHeader } from './import-file.js';
import type { ImportOptions, OnProgress } from './import-options.js';
import { ReportLog, type RowError, type RowResult, reportHead } from './import-report.js';
import { insertMany } from './people-import.repository.js';
import { forEachChunk, type ImportSteps, runImport } from './import-passes.js';

/** Gift rows per chunk: one transaction and one event-loop turn each. */
const CHUNK_ROWS = 250;
const FIELD = new Set<string>(GIFT_FIELDS);

interface PlannedBatch {
  id: string;
  isNew: boolean;
  written: boolean;
  key: string;
  name: string;
  date: string;
  gifts: number;
  totalCents: number;
}

interface GivingState {
  source: string;
  createFunds: boolean;
  log: ReportLog;
  /** Transaction id -> the line of its first row, across chunks. */
  seen: Map<string, number>;
  /** Lower-cased fund name -> fund; funds are few, all are loaded once. */
  funds: Map<string, { id: string; name: string; isNew: boolean; written: boolean }>;
  missingFunds: Set<string>;
  batches: Map<string, PlannedBatch>;
  unmatched: Array<{ row: number; donor: string }>;
  totalCents: number;
  /** The header of the fund column, named in fund errors. */
  fundColumn: string | null;
}

async function prepare(file: Buffer, opts: ImportOptions) {
  const { format, header } = await readHeader(file);
  const preset = opts.preset
    ? (GIVING_PRESETS.find((p) => p.name === opts.preset) ?? detectPreset(header, GIVING_PRESETS))
    : detectPreset(header, GIVING_PRESETS);
  const { columns, ignored } = mapColumns(header, preset, parsePairs(opts.map, 'map'), {
    isField: (f) => FIELD.has(f),
    repeatable: () => false,
    required: ['transactionId', 'date', 'amount', 'fund'],
    customByName: new Map(),
  });
  const dateOrder = opts.dateOrder ?? preset.dateOrder;
  return { format, preset, columns, ignored, dateOrder, source: opts.source ?? preset.source };
}
type Prepared = Awaited<ReturnType<typeof prepare>>;

const donorLabel = (d: GiftImportRow['donor']) =>
  [d.externalId && `id ${d.externalId}`, [d.firstName, d.lastName].filter(Boolean).join(' '), d.email]
    .filter(Boolean)
    .join(', ');

/** Donors of the chunk's rows: external id, else email (names break a tie); never a guess. */
async function matchDonors(db: TenantDb, state: GivingState, rows: GiftImportRow[]) {
  const ext = await resolveExternalIds(
    db,
    'person',
    state.source,
    rows.flatMap((r) => (r.donor.externalId ? [r.donor.externalId] : [])),
  );
  const emails = [...new Set(rows.flatMap((r) => (r.donor.email ? [searchKey(r.donor.email)] : [])))];
  const byEmail = new Map<string, Array<{ id: string; first: string; last: string }>>();
  for (let i = 0; i < emails.length; i += 500) {
    const part = emails.slice(i, i + 500);
    const found = await db
      .selectFrom('people')
      .leftJoin('person_contacts as c', (j) =>
        j.onRef('c.person_id', '=', 'people.id').on('c.kind', '=', 'email'),
      )
      .select([
        'people.id',
        'people.first_name_key',
        'people.last_name_key',
        'people.email_key',
        'c.value_key',
      ])
      .where((eb) => eb.or([eb('people.email_key', 'in', part), eb('c.value_key', 'in', part)]))
      .execute();
    for (const p of found) {
      for (const key of new Set([p.email_key, p.value_key])) {
        if (!key || !part.includes(key)) continue;
        const list = byEmail.get(key) ?? [];
        if (!list.some((x) => x.id === p.id))
          list.push({ id: p.id, first: p.first_name_key, last: p.last_name_key });
        byEmail.set(key, list);
      }
    }
  }
  return (r: GiftImportRow): { id: string | null; by: RowResult['matchedBy'] } | undefined => {
    const d = r.donor;
    if (!d.externalId && !d.email && !d.firstName && !d.lastName) return { id: null, by: null };
    const viaExt = d.externalId ? ext.get(d.externalId) : undefined;
    if (viaExt) return { id: viaExt, by: 'external-id' };
    if (!d.email) return undefined;
    let found = byEmail.get(searchKey(d.email)) ?? [];
    if (found.length > 1 && (d.firstName || d.lastName))
      found = found.filter(
        (p) =>
          (!d.firstName || p.first === searchKey(d.firstName)) &&
          (!d.lastName || p.last === searchKey(d.lastName)),
      );
    return found.length === 1 ? { id: found[0]!.id, by: 'email' } : undefined;
  };
}

async function resolveBatches(db: TenantDb, state: GivingState, rows: GiftImportRow[]) {
  const keys = [...new Set(rows.map((r) => r.batchKey ?? `date:${r.date}`))].filter(
    (k) => !state.batches.has(k),
  );
  const known = await resolveExternalIds(db, 'batch', state.source, keys);
  const open = new Set(
    known.size
      ? (
          await db
            .selectFrom('batches')
            .select('id')
            .where('id', 'in', [...known.values()])
            .where('status', '=', 'open')
            .execute()
        ).map((b) => b.id)
      : [],
  );
  for (const key of keys) {
    const first = rows.find((r) => (r.batchKey ?? `date:${r.date}`) === key)!;
    // An interrupted run left its batch open: continue it. A committed batch is never added to.
    const reuse = known.get(key);
    const label = first.batchKey ? (first.batchName ?? first.batchKey) : first.date;
    state.batches.set(key, {
      id: reuse && open.has(reuse) ? reuse : uuidv7(),
      isNew: !(reuse && open.has(reuse)),
      written: false,
      key,
      name: `Imported from ${state.source}: ${label}`.slice(0, 200),
      date: first.date,
      gifts: 0,
      totalCents: 0,
    });
  }
}

/** Everything one chunk will write (plain data, so a plan can wait for the check of the file). */
interface ChunkWrites {
  /** When the chunk was planned: its rows' timestamps. */
  now: string;
  funds: Array<{ id: string; name: string }>;
  batches: Array<{ id: string; key: string; name: string; date: string }>;
  donations: Array<Record<string, unknown>>;
  splits: Array<{ donation_id: string; position: number; fund_id: string; amount_cents: number }>;
  links: Array<{ source: string; id: string; targetId: string }>;
}

/** Plans one chunk: existing transactions are unchanged, new ones become donations (read only). */
async function planChunk(
  db: TenantDb,
  state: GivingState,
  chunk: Array<{ row: GiftImportRow; errors: RowError[] }>,
  dryRun: boolean,
  now: string,
  actor: Actor,
): Promise<ChunkWrites> {
  const w: ChunkWrites = { now, funds: [], batches: [], donations: [], splits: [], links: [] };
  // Each new donation's batch, to add split rows to its totals.
  const batchOf = new Map<string, PlannedBatch>();
  // Rows sharing a transaction id are one donation's fund splits; they must sit together.
  const groups = new Map<string, Array<{ row: GiftImportRow; errors: RowError[] }>>();
  for (const r of chunk) {
    if (r.errors.length) continue;
    const tx = r.row.transactionId;
    const group = groups.get(tx);
    if (group) {
      const head = group[0]!.row;
      if (head.date !== r.row.date || donorLabel(head.donor) !== donorLabel(r.row.donor))
        r.errors.push({
          row: r.row.row,
          column: null,
          message: `shares transaction ${tx} with row ${head.row} but not its date or donor`,
        });
      else if (group.some((g) => searchKey(g.row.fund) === searchKey(r.row.fund)))
        r.errors.push({ row: r.row.row, column: null, message: `duplicates row ${head.row}` });
      else group.push(r);
      continue;
    }
    const earlier = state.seen.get(tx);
    if (earlier !== undefined)
      r.errors.push({ row: r.row.row, column: null, message: `duplicates row ${earlier}` });
    else {
      state.seen.set(tx, r.row.row);
      groups.set(tx, [r]);
    }
  }
  const heads = [...groups.values()].map((g) => g[0]!.row);
  const existing = await resolveExternalIds(db, 'donation', state.source, [...groups.keys()]);
  const fresh = heads.filter((h) => !existing.has(h.transactionId));
  const donorOf = await matchDonors(db, state, fresh);
  await resolveBatches(db, state, fresh);

  const donors = new Map<string, { id: string | null; by: RowResult['matchedBy'] }>();
  for (const [tx, group] of groups) {
    const head = group[0]!.row;
    if (existing.has(tx)) continue;
    const donor = donorOf(head);
    if (!donor) {
      state.unmatched.push({ row: head.row, donor: donorLabel(head.donor) });
      for (const g of group)
        g.errors.push({
          row: g.row.row,
          column: null,
          message: `donor (${donorLabel(head.donor)}) matches nobody`,
        });
      continue;
    }
    donors.set(tx, donor);
    for (const g of group) {
      const key = searchKey(g.row.fund);
      if (state.funds.has(key)) continue;
      if (!state.createFunds) {
        state.missingFunds.add(g.row.fund);
        g.errors.push({
          row: g.row.row,
          column: state.fundColumn,
          message: `fund "${g.row.fund}" does not exist; send createFunds=true to create it`,
        });
      } else state.funds.set(key, { id: uuidv7(), name: g.row.fund, isNew: true, written: false });
    }
  }

  for (const r of chunk) {
    if (r.errors.length) {
      for (const e of r.errors) state.log.error(e);
      state.log.result({ row: r.row.row, action: 'skipped', id: null, matchedBy: null });
      continue;
    }
    const tx = r.row.transactionId;
    const group = groups.get(tx)!;
    const headRow = group[0]!.row;
    const existingId = existing.get(tx);
    if (existingId) {
      state.log.result({ row: r.row.row, action: 'unchanged', id: existingId, matchedBy: 'external-id' });
      continue;
    }
    if (group.some((g) => g.errors.length)) {
      state.log.result({ row: r.row.row, action: 'skipped', id: null, matchedBy: null });
      continue;
    }
    const donor = donors.get(tx)!;
    let donation = w.donations.find((d) => d.transaction === tx);
    if (!donation) {
      const batch = state.batches.get(headRow.batchKey ?? `date:${headRow.date}`)!;
      if (batch.date < headRow.date) batch.date = headRow.date;
      if (batch.isNew && !batch.written) {
        w.batches.push({ id: batch.id, key: batch.key, name: batch.name, date: batch.date });
        batch.written = true;
      }
      donation = {
        transaction: tx,
        id: uuidv7(),
        person_id: donor.id,
        household_id: null,
        batch_id: batch.id,
        reverses_id: null,
        received_on: headRow.date,
        method: headRow.method,
        check_number: headRow.checkNumber,
        note: headRow.note,
        amount_cents: 0,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      };
      batchOf.set(donation.id as string, batch);
      w.donations.push(donation);
      w.links.push({ source: state.source, id: tx, targetId: donation.id as string });
    }
    const fund = state.funds.get(searchKey(r.row.fund))!;
    if (fund.isNew && !fund.written) {
      w.funds.push({ id: fund.id, name: fund.name });
      fund.written = true;
    }
    w.splits.push({
      donation_id: donation.id as string,
      position: w.splits.filter((s) => s.donation_id === donation.id).length,
      fund_id: fund.id,
      amount_cents: r.row.amountCents,
    });
    (donation.amount_cents as number) += r.row.amountCents;
    const batch = batchOf.get(donation.id as string)!;
    batch.gifts += group[0] === r ? 1 : 0;
    batch.totalCents += r.row.amountCents;
    state.totalCents += r.row.amountCents;
    state.log.result({
      row: r.row.row,
      action: 'created',
      id: dryRun ? null : (donation.id as string),
      matchedBy: donor.by,
    });
  }
  return w;
}

async function writeChunk(trx: TenantDb, w: ChunkWrites, source: string) {
  const now = w.now;
  await insertMany(
    trx,
    'funds',
    w.funds.map((f) => ({
      id: f.id,
      name: f.name,
      description: null,
      tax_deductible: 1,
      created_at: now,
      updated_at: now,
    })),
  );
  for (const b of w.batches) {
    await trx
      .insertInto('batches')
      .values({ id: b.id, name: b.name, date: b.date, status: 'open', created_at: now, updated_at: now })
      .execute();
    await linkExternalIds(trx, 'batch', [{ source, id: b.key, targetId: b.id }], now);
  }
  await insertMany(
    trx,
    'donations',
    w.donations.map(({ transaction: _t, ...d }) => d as never),
    100,
  );
  await insertMany(trx, 'donation_splits', w.splits);
  await linkExternalIds(trx, 'donation', w.links, now);
}

function report(p: Prepared, opts: ImportOptions, state: GivingState) {
  const batches = [...state.batches.values()].filter((b) => b.gifts > 0);
  return {
    ...reportHead('giving' as const, opts, p),
    ...state.log.summary(),
    funds: {
      created: [...state.funds.values()].filter((f) => f.isNew).map((f) => f.name),
      missing: [...state.missingFunds],
    },
    batches: { created: batches.filter((b) => b.isNew).length },
    totalCents: state.totalCents,
    unmatchedDonors: state.unmatched.slice(0, 2000),
  };
}

/**
 * The steps of a giving import: one pass reads the file in chunks (never cutting a donation's
 * split rows apart) and plans each; a plan is written in its own transaction; the batches are
 * committed at the end.
 */
function givingSteps(
  db: TenantDb,
  actor: Actor,
  file: Buffer,
  p: Prepared,
  opts: ImportOptions,
  run: { maxRows?: number; onProgress?: OnProgress },
): ImportSteps<GivingState, ChunkWrites> {
  return {
    async pass(planned, phase, dryRun) {
      const funds = await db.selectFrom('funds').select(['id', 'name']).execute();
      const state: GivingState = {
        source: p.source,
        createFunds: opts.createFunds ?? false,
        log: new ReportLog(),
        seen: new Map(),
        funds: new Map(funds.map((f) => [searchKey(f.name), { ...f, isNew: false, written: true }])),
        missingFunds: new Set(),
        batches: new Map(),
        unmatched: [],
        totalCents: 0,
        fundColumn: p.columns.find((c) => c.field === 'fund')?.column ?? null,
      };
      await forEachChunk({
        file,
        format: p.format,
        log: state.log,
        phase,
        ...run,
        chunkRows: CHUNK_ROWS,
        read: (cells, line, errors) =>
          readGiftRow(cells, line, { columns: p.columns, dateOrder: p.dateOrder }, errors),
        // Never cut a transaction's split rows across two chunks.
        mayCut: (last, next) => last.transactionId !== next.transactionId,
        plan: (chunk) => planChunk(db, state, chunk, dryRun, new Date().toISOString(), actor),
        planned,
      });
      return state;
    },
    write: (writes) => db.transaction().execute((trx) => writeChunk(trx, writes, p.source)),
    finish: (state) => commitBatches(db, actor, state),
  };
}

/** Commits every batch this run filled, each with its audit rows, then the run's summary. */
async function commitBatches(db: TenantDb, actor: Actor, state: GivingState) {
  const at = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    const audit: AuditEntry[] = [];
    for (const b of state.batches.values()) {
      // New batches this run created, and open ones an interrupted run left that got gifts now.
      if (!b.written && b.gifts === 0) continue;
      await markCommitted(trx, b.id, actor.userId, at);
      audit.push({
        action: 'import',
        entity: 'batch',
        entityId: b.id,
        after: {
          name: b.name,
          date: b.date,
          status: 'committed',
          importedGifts: b.gifts,
          importedCents: b.totalCents,
        },
      });
    }
    for (const f of state.funds.values())
      if (f.isNew)
        audit.push({ action: 'create', entity: 'fund', entityId: f.id, after: { id: f.id, name: f.name } });
    await appendAuditMany(trx, actor, audit);
  });
}

/**
 * Imports giving history. Gifts are idempotent by the source's transaction id; donors are found
 * by the source's person id (the people import records it) or by email, never guessed from a
 * name; funds the file names are created only with createFunds=true; each source batch (or, with
 * none, each date) becomes one batch, committed when the run ends. onError=abort checks every
 * row first and writes nothing when any is bad, else the plans of that check; a dry run is that
 * check.
 */
export async function importGivingFile(
  db: TenantDb,
  actor: Actor,
  file: Buffer,
  opts: ImportOptions,
  run: { maxRows?: number; onProgress?: OnProgress } = {},
) {
  const p = await prepare(file, opts);
  return runImport(
    opts,
    givingSteps(db, actor, file, p, opts, run),
    (state) => report(p, opts, state),
    run.onProgress,
  );
}
