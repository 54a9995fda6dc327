import { isPostgres } from '../infra/db/schema-introspection.js';
import type { SpareLedger, SpareTemplate } from '../tenancy/spare-ledger.js';
import type { CatalogDb } from './catalog-db.js';

/** The spare ledger over the catalog table `spare_databases`. */
export function catalogSpareLedger(catalog: CatalogDb): SpareLedger {
  return {
    async list(serverId) {
      const rows = await catalog
        .selectFrom('spare_databases')
        .selectAll()
        .where('server_id', '=', serverId)
        .orderBy('tenant_id')
        .execute();
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        schemaVersion: r.schema_version,
        template: r.template,
        state: r.state,
        createdAt: r.created_at,
      }));
    },
    async add(serverId, spare) {
      await catalog
        .insertInto('spare_databases')
        .values({
          tenant_id: spare.tenantId,
          server_id: serverId,
          schema_version: spare.schemaVersion,
          template: spare.template,
          state: 'creating',
          created_at: new Date().toISOString(),
        })
        .execute();
    },
    async markReady(tenantId) {
      const res = await catalog
        .updateTable('spare_databases')
        .set({ state: 'ready' })
        .where('tenant_id', '=', tenantId)
        .where('state', '=', 'creating')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
    async take(tenantId) {
      const res = await catalog
        .updateTable('spare_databases')
        .set({ state: 'dropping' })
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
    async remove(tenantId) {
      await catalog.deleteFrom('spare_databases').where('tenant_id', '=', tenantId).execute();
    },
  };
}

/**
 * Takes the server's oldest ready spare of `spare`'s template inside a signup's transaction and
 * returns its id, which becomes the church's (its database exists already); undefined when
 * there is none. Rolling the transaction back returns the spare.
 */
export async function takeSpare(
  trx: CatalogDb,
  serverId: string,
  spare: SpareTemplate,
): Promise<string | undefined> {
  const oldest = trx
    .selectFrom('spare_databases')
    .select('tenant_id')
    .where('server_id', '=', serverId)
    .where('state', '=', 'ready')
    .where('schema_version', '=', spare.schemaVersion)
    .where('template', '=', spare.template)
    .orderBy('tenant_id')
    .limit(1);
  // Signups arriving together each take a different row instead of queueing on one. SQLite
  // runs one writer at a time, so it needs (and has) no such clause.
  const row = await trx
    .deleteFrom('spare_databases')
    .where('tenant_id', '=', isPostgres(trx) ? oldest.forUpdate().skipLocked() : oldest)
    .returning('tenant_id')
    .executeTakeFirst();
  return row?.tenant_id;
}
