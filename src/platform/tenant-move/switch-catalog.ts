import type { CatalogDb } from '../catalog-db.js';
import { releasePlacement, takeServerSlot } from '../db-servers.js';
import type { CopyProgress } from './database-copy.js';
import { MoveErrors, MoveFailedError } from './move-errors.js';
import { getMove } from './tenant-move.repository.js';
import type { TenantMove } from './tenant-move.table.js';

/**
 * The switch of a move, in one catalog transaction: the church points at the target (only if it
 * is still at the source), the servers' church counts follow, and the move is `switched` with
 * the day its kept source may be dropped.
 */
export async function switchCatalog(
  catalog: CatalogDb,
  move: TenantMove,
  o: { schemaVersion: number; graceDays: number; progress: CopyProgress; writePauseMs: number },
): Promise<TenantMove> {
  const now = new Date();
  await catalog.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('tenants')
      .set({
        server_id: move.target_server_id,
        schema_version: o.schemaVersion,
        updated_at: now.toISOString(),
      })
      .where('id', '=', move.tenant_id);
    q = move.source_server_id
      ? q.where('server_id', '=', move.source_server_id)
      : q.where('server_id', 'is', null);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new MoveFailedError('the church is no longer at the source');
    await releasePlacement(trx, move.source_server_id);
    if (move.target_server_id && !(await takeServerSlot(trx, move.target_server_id)))
      throw MoveErrors.serverNotTakingChurches(move.target_server_id);
    await trx
      .updateTable('tenant_moves')
      .set({
        step: 'switched',
        switched_at: now.toISOString(),
        drop_after: new Date(now.getTime() + o.graceDays * 86_400_000).toISOString(),
        write_pause_ms: o.writePauseMs,
        rows_copied: o.progress.rows,
        bytes_copied: o.progress.bytes,
        owner: null,
        lease_until: null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', move.id)
      .execute();
  });
  return (await getMove(catalog, move.id))!;
}
