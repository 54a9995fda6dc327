import type { TenantDb } from '../../tenancy/tenant-database.js';
import { decodeCursor, pageOf } from '../cursor.js';
import { listAudit } from './audit.repository.js';

/** The audit log, newest first, for admins. Read-only: nothing edits or deletes audit rows. */
export async function listAuditLog(
  db: TenantDb,
  q: { entity?: string; actor?: string; cursor?: string; limit: number },
) {
  const beforeId = decodeCursor(q.cursor, 1)?.[0];
  const rows = await listAudit(db, { entity: q.entity, actorId: q.actor, beforeId, limit: q.limit + 1 });
  const page = pageOf(rows, q.limit, (r) => [r.id]);
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
