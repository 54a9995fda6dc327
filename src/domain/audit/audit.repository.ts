import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { TenantDatabase } from '../../tenancy/tenant-database.js';
import type { AuditRow } from './audit.table.js';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** Who made a change, carried from the request into every write. */
export interface Actor {
  userId: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Keeps only the fields that differ, so each row shows what changed. */
export function diff(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
) {
  if (!before || !after) return { before: before ?? undefined, after: after ?? undefined };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/** Appends one audit row; call it with the same transaction as the write it records. */
export async function appendAudit(trx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await appendAuditMany(trx, actor, [entry]);
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  /** ISO times: rows at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** Exclusive: rows with an id below this (newest first). */
  beforeId?: string;
  limit: number;
}

/** Newest first; ids are UUIDv7 so id order is time order. */
export async function listAudit(db: Db, q: AuditQuery): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.execute();
}

/** Appends many audit rows in chunked multi-row inserts (bulk imports); same transaction rule. */
export async function appendAuditMany(trx: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  const at = new Date().toISOString();
  const rows = entries.map((entry) => ({
    id: uuidv7(),
    at,
    actor_id: actor.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    changes: JSON.stringify(diff(entry.before, entry.after)),
    request_id: actor.requestId,
  }));
  // 8 parameters a row: 500 rows stay far below both dialects' bind-parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}
