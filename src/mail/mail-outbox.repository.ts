import { type Kysely, sql, type Transaction } from 'kysely';
import type { CatalogDatabase } from '../platform/catalog.table.js';
import type { TenantDatabase, TenantDb } from '../tenancy/tenant-database.js';
import type { MailOutboxRow, MailOutboxTable, MailStatus } from './mail-outbox.table.js';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;
type Catalog = Kysely<CatalogDatabase>;

/** Records a message; false when its dedupe key is already there (nothing new is sent). */
export async function insertMail(db: Db, row: MailOutboxTable): Promise<boolean> {
  const r = await db
    .insertInto('mail_outbox')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Ids of messages due now: queued and due, or claimed by a sender whose claim ran out. */
export async function dueMailIds(db: TenantDb, nowIso: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', nowIso)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Claims one message for sending until `untilIso`; undefined when another sender has it. */
export async function claimMail(
  db: TenantDb,
  id: string,
  nowIso: string,
  untilIso: string,
): Promise<MailOutboxRow | undefined> {
  const r = await db
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'sending', claimed_until: untilIso, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', nowIso)]),
      ]),
    )
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records an attempt's end: sent, failed for good, or queued again for `next`. */
export async function settleMail(
  db: TenantDb,
  id: string,
  outcome:
    | { status: 'sent'; atIso: string }
    | { status: 'failed'; error: string }
    | { status: 'queued'; error: string; nextIso: string },
): Promise<void> {
  const set =
    outcome.status === 'sent'
      ? { status: 'sent' as const, sent_at: outcome.atIso, claimed_until: null, last_error: null }
      : outcome.status === 'failed'
        ? { status: 'failed' as const, claimed_until: null, last_error: outcome.error }
        : {
            status: 'queued' as const,
            claimed_until: null,
            last_error: outcome.error,
            next_attempt_at: outcome.nextIso,
          };
  await db.updateTable('mail_outbox').set(set).where('id', '=', id).execute();
}

/** When the earliest unsent message is due (a claimed one: when its claim runs out), or null. */
export async function nextDueAt(db: TenantDb): Promise<string | null> {
  const r = await db
    .selectFrom('mail_outbox')
    .select((eb) => [
      eb.fn.min('next_attempt_at').filterWhere('status', '=', 'queued').as('queued'),
      eb.fn.min('claimed_until').filterWhere('status', '=', 'sending').as('sending'),
    ])
    .executeTakeFirst();
  const times = [r?.queued, r?.sending].filter((t): t is string => typeof t === 'string');
  return times.length ? times.sort()[0]! : null;
}

/** Messages in `statuses`, newest first, without their bodies. */
export function listMail(db: TenantDb, statuses: readonly MailStatus[], limit: number) {
  return db
    .selectFrom('mail_outbox')
    .select([
      'id',
      'message_id',
      'kind',
      'to_address',
      'subject',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'created_at',
      'sent_at',
    ])
    .where('status', 'in', statuses)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Puts failed messages (all, or those ids) back in the queue, due now. Returns how many. */
export async function requeueFailed(db: TenantDb, nowIso: string, ids?: readonly string[]): Promise<number> {
  let q = db
    .updateTable('mail_outbox')
    .set({ status: 'queued', next_attempt_at: nowIso, attempts: 0, last_error: null })
    .where('status', '=', 'failed');
  if (ids?.length) q = q.where('id', 'in', ids);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Notes in the catalog that a church has mail due at `dueAtMs` (the earlier time wins). */
export async function markPending(catalog: Catalog, tenantId: string, dueAtMs: number, nowMs: number) {
  await catalog
    .insertInto('mail_pending')
    .values({ tenant_id: tenantId, due_at_ms: dueAtMs, marked_at_ms: nowMs })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        // CASE, not least()/min(): the two dialects spell the two-argument minimum differently.
        due_at_ms: sql`case when mail_pending.due_at_ms < excluded.due_at_ms then mail_pending.due_at_ms else excluded.due_at_ms end`,
        marked_at_ms: sql`excluded.marked_at_ms`,
      }),
    )
    .execute();
}

/**
 * After a sender's pass that began at `sinceMs`: the church's next due time, or no row when
 * nothing is left. A message recorded during the pass re-marked the row, which is then kept.
 */
export async function settlePending(
  catalog: Catalog,
  tenantId: string,
  sinceMs: number,
  dueAtMs: number | null,
) {
  if (dueAtMs === null) {
    await catalog
      .deleteFrom('mail_pending')
      .where('tenant_id', '=', tenantId)
      .where('marked_at_ms', '<', sinceMs)
      .execute();
  } else {
    await catalog
      .updateTable('mail_pending')
      .set({ due_at_ms: dueAtMs })
      .where('tenant_id', '=', tenantId)
      .where('marked_at_ms', '<', sinceMs)
      .execute();
  }
}

/** Churches whose mail is due by `nowMs`, earliest first. */
export async function duePending(catalog: Catalog, nowMs: number, limit: number): Promise<string[]> {
  const rows = await catalog
    .selectFrom('mail_pending')
    .select('tenant_id')
    .where('due_at_ms', '<=', nowMs)
    .orderBy('due_at_ms')
    .limit(limit)
    .execute();
  return rows.map((r) => r.tenant_id);
}

/**
 * Of the messages whose dedupe key starts with `keyPrefix` (one run of messages, such as a
 * year's statements), how many were sent and how many failed for good.
 */
export async function mailOutcomes(
  db: TenantDb,
  keyPrefix: string,
): Promise<{ sent: number; failed: number }> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('n')])
    // substr, not LIKE: exact on both dialects whatever characters the prefix holds.
    .where(sql<string>`substr(dedupe_key, 1, ${keyPrefix.length})`, '=', keyPrefix)
    .where('status', 'in', ['sent', 'failed'])
    .groupBy('status')
    .execute();
  const count = (status: MailStatus) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { sent: count('sent'), failed: count('failed') };
}
