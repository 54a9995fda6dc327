import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '../infra/logger.js';
import type { TenantProvisioning } from '../tenancy/tenant-provisioning.js';
import type { TenantTarget } from '../tenancy/tenant-driver.js';
import type { CatalogDb } from './catalog-db.js';
import type { DbServer } from './catalog.table.js';

/** Default tenant capacity of a PostgreSQL server added from the environment or the CLI. */
export const DEFAULT_SERVER_CAPACITY = 5000;

/** Adds servers listed in TENANT_DB_SERVERS that the catalog does not know yet. */
export async function seedDbServers(catalog: CatalogDb, urls: readonly string[]): Promise<void> {
  for (const url of urls) await addDbServer(catalog, url);
}

/**
 * A server's identity: role, host, port and maintenance database. Not the password: a URL that
 * differs only in it is the same server with rotated credentials.
 */
function serverIdentity(url: string): string {
  const u = new URL(url);
  return `${decodeURIComponent(u.username)}@${u.hostname.toLowerCase()}:${u.port || '5432'}${u.pathname}`;
}

/**
 * Registers a server, or returns the one it already is; returns its row. A URL with new
 * credentials for a known server replaces the old URL (password rotation: update
 * TENANT_DB_SERVERS, or run `steeple servers add`, with the new one).
 */
export async function addDbServer(
  catalog: CatalogDb,
  url: string,
  capacity = DEFAULT_SERVER_CAPACITY,
): Promise<DbServer> {
  const known = await listDbServers(catalog);
  const same =
    known.find((s) => s.url === url) ?? known.find((s) => serverIdentity(s.url) === serverIdentity(url));
  if (same) {
    if (same.url !== url)
      await catalog.updateTable('db_servers').set({ url }).where('id', '=', same.id).execute();
    return { ...same, url };
  }
  await catalog
    .insertInto('db_servers')
    .values({ id: uuidv7(), url, capacity, status: 'active', created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('url').doNothing())
    .execute();
  return catalog.selectFrom('db_servers').selectAll().where('url', '=', url).executeTakeFirstOrThrow();
}

/** Where a tenant's database is, for creating or dropping it (serverUrl null: a SQLite file). */
export async function tenantTarget(
  catalog: CatalogDb,
  tenant: { id: string; server_id: string | null },
): Promise<TenantTarget> {
  if (!tenant.server_id) return { tenantId: tenant.id, serverUrl: null };
  const server = await catalog
    .selectFrom('db_servers')
    .select('url')
    .where('id', '=', tenant.server_id)
    .executeTakeFirstOrThrow();
  return { tenantId: tenant.id, serverUrl: server.url };
}

export async function listDbServers(catalog: CatalogDb): Promise<DbServer[]> {
  return catalog.selectFrom('db_servers').selectAll().orderBy('created_at').orderBy('id').execute();
}

/**
 * Keeps spare tenant databases on each server that takes new tenants (active, with room) and
 * drops them from the others; a server that cannot be reached is logged and skipped.
 */
export async function keepSpareDatabases(
  catalog: CatalogDb,
  provisioning: Pick<TenantProvisioning, 'keepSpares'>,
  log: Logger,
): Promise<void> {
  for (const s of await listDbServers(catalog)) {
    await provisioning
      .keepSpares({ id: s.id, url: s.url }, s.status === 'active' && s.tenant_count < s.capacity)
      .catch((err) => log.warn({ err, serverId: s.id }, 'could not maintain spare tenant databases'));
  }
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
 * Placement rule: the active server with the fewest tenants and room left. null means SQLite
 * (no servers configured); throws when servers exist but all are full or draining. Reads without
 * a lock: the caller takes the slot with `takeServerSlot` at the end of its transaction.
 */
export async function chooseServer(db: CatalogDb): Promise<string | null> {
  const candidate = await db
    .selectFrom('db_servers')
    .select('id')
    .where('status', '=', 'active')
    .whereRef('tenant_count', '<', 'capacity')
    .orderBy('tenant_count')
    .orderBy('id')
    .executeTakeFirst();
  if (candidate) return candidate.id;
  // No PostgreSQL servers at all means SQLite tenants; servers without room, a real error.
  const any = await db.selectFrom('db_servers').select('id').limit(1).executeTakeFirst();
  if (!any) return null;
  throw new NoCapacityError();
}

/**
 * Counts a new tenant on a chosen server, unless it filled up or was drained since; false then.
 * The row stays locked until commit, so run it last: signups arriving together then queue on
 * it for one commit each, not for their whole transaction.
 */
export async function takeServerSlot(trx: CatalogDb, serverId: string): Promise<boolean> {
  const res = await trx
    .updateTable('db_servers')
    .set({ tenant_count: sql`tenant_count + 1` })
    .where('id', '=', serverId)
    .where('status', '=', 'active')
    .whereRef('tenant_count', '<', 'capacity')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
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
