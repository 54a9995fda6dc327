import type { TenantDb } from '../../tenancy/tenant-database.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { type AuditQuery, listAudit } from './audit.repository.js';

/** The audit log, newest first, for admins. Read-only: nothing edits or deletes audit rows. */
export async function listAuditLog(
  db: TenantDb,
  q: Omit<AuditQuery, 'actorId' | 'beforeId' | 'limit'> & { actor?: string; cursor?: string; limit: number },
) {
  const beforeId = decodeCursor(q.cursor, 1)?.[0];
  const { actor, cursor: _, limit, ...filters } = q;
  const rows = await listAudit(db, { ...filters, actorId: actor, beforeId, limit: limit + 1 });
  const page = pageOf(rows, limit, (r) => [r.id]);
  return {
    items: page.items.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      changes: JSON.parse(r.changes) as Record<string, unknown>,
      requestId: r.request_id,
    })),
    nextCursor: page.nextCursor,
  };
}
