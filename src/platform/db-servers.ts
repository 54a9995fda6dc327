import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { CatalogDb } from './catalog-db.js';
import type { DbServer } from './catalog.table.js';

/** Default tenant capacity of a PostgreSQL server added from the environment or the CLI. */
export const DEFAULT_SERVER_CAPACITY = 5000;

/** Adds servers listed in TENANT_DB_SERVERS that the catalog does not know yet. */
export async function seedDbServers(catalog: CatalogDb, urls: readonly string[]): Promise<void> {
  for (const url of urls) await addDbServer(catalog, url);
}

/** Registers a server (idempotent on URL); returns its row. */
export async function addDbServer(
  catalog: CatalogDb,
  url: string,
  capacity = DEFAULT_SERVER_CAPACITY,
): Promise<DbServer> {
  await catalog
    .insertInto('db_servers')
    .values({ id: uuidv7(), url, capacity, status: 'active', created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('url').doNothing())
    .execute();
  return catalog.selectFrom('db_servers').selectAll().where('url', '=', url).executeTakeFirstOrThrow();
}

export async function listDbServers(catalog: CatalogDb): Promise<DbServer[]> {
  return catalog.selectFrom('db_servers').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** A draining server takes no new tenants; its existing tenants keep working. */
export async function setDbServerStatus(
  catalog: CatalogDb,
  id: string,
  status: DbServer['status'],
): Promise<boolean> {
  const res = await catalog.updateTable('db_servers').set({ status }).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Placement rule: the active server with the fewest tenants and room left, claimed by
 * incrementing its count in the caller's transaction. null means SQLite (no servers configured).
 * Throws when servers exist but all are full or draining.
 */
export async function placeTenant(trx: CatalogDb): Promise<string | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await trx
      .selectFrom('db_servers')
      .select(['id', 'tenant_count'])
      .where('status', '=', 'active')
      .whereRef('tenant_count', '<', 'capacity')
      .orderBy('tenant_count')
      .orderBy('id')
      .executeTakeFirst();
    if (!candidate) {
      // No PostgreSQL servers at all means SQLite tenants; servers without room, a real error.
      const any = await trx.selectFrom('db_servers').select('id').limit(1).executeTakeFirst();
      if (!any) return null;
      throw new NoCapacityError();
    }
    // Compare-and-set on the count, so concurrent placements spread instead of piling up.
    const res = await trx
      .updateTable('db_servers')
      .set({ tenant_count: sql`tenant_count + 1` })
      .where('id', '=', candidate.id)
      .where('tenant_count', '=', candidate.tenant_count)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) return candidate.id;
  }
  throw new NoCapacityError();
}

/** Gives back a slot when a tenant is rolled back or deleted. */
export async function releasePlacement(trx: CatalogDb, serverId: string | null): Promise<void> {
  if (!serverId) return;
  await trx
    .updateTable('db_servers')
    .set({ tenant_count: sql`case when tenant_count > 0 then tenant_count - 1 else 0 end` })
    .where('id', '=', serverId)
    .execute();
}

export class NoCapacityError extends Error {
  override name = 'NoCapacityError';
  constructor() {
    super('no active tenant database server has room');
  }
}
