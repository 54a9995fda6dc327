import { v7 as uuidv7 } from 'uuid';
import { AppError, Errors } from '../../errors/app-error.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../infra/db/errors.js';
import type { Logger } from '../../infra/logger.js';
import type { CatalogDb } from '../../platform/catalog-db.js';
import {
  chooseServer,
  NoCapacityError,
  releasePlacement,
  takeServerSlot,
  tenantTarget,
} from '../../platform/db-servers.js';
import { checkChurchRules, SLUG_PATTERN } from '../../platform/registrations/registration-rules.js';
import {
  type AnyDb,
  insertRows,
  linkSelfRefs,
  pageSize,
  type Row,
} from '../../platform/tenant-move/table-rows.js';
import { type CopyTable, tenantTables } from '../../platform/tenant-move/tenant-tables.js';
import type { TenantDbManager } from '../../tenancy/tenant-db-manager.js';
import { isTenantId } from '../../tenancy/tenant-id.js';
import type { TenantProvisioning } from '../../tenancy/tenant-provisioning.js';
import { describeTenantSchema } from '../../tenancy/tenant-schema.js';
import { searchKeyOrNull } from '../search.js';
import { EXPORT_TABLES } from './church-export.js';
import { isDerivedColumn, type ParsedExport, parseExport } from './export-file.js';

export interface RestoreDeps {
  catalog: CatalogDb;
  tenants: Pick<TenantDbManager, 'withTenant'>;
  provisioning: Pick<TenantProvisioning, 'createDatabase' | 'dropDatabase'>;
  logger: Logger;
}

export interface RestoreResult {
  tenantId: string;
  slug: string;
  /** Server id; null for SQLite. */
  serverId: string | null;
  rows: number;
}

// Never a valid PHC string: no password matches it, so the user sets one through a reset.
const NO_PASSWORD = '!restored-without-password';

/**
 * Creates a church from an export: checked in full first (nothing is created for a file that
 * is truncated, of a newer format, names tables this release does not have, or whose slug is
 * taken), then placed like a signup (any engine), filled in one transaction, and made active.
 * The church keeps its id unless a church with that id exists. Any failure removes what was
 * made. Tables an export leaves out (refresh tokens, password resets, mail waiting to be sent)
 * start empty; `*_key` search columns are derived again.
 */
export async function restoreChurch(
  deps: RestoreDeps,
  text: string,
  opts: { slug?: string } = {},
): Promise<RestoreResult> {
  const parsed = parseExport(text, await describeTenantSchema());
  const church = parsed.tables.get('church')![0]!;
  const slug = opts.slug ?? String(church.slug);
  if (!new RegExp(SLUG_PATTERN).test(slug))
    throw Errors.validation([{ path: '/as', message: 'must be 3-40 of a-z, 0-9 and -' }]);
  const ruleErrors = checkChurchRules({
    slug,
    timezone: String(church.timezone),
    currency: String(church.currency),
  });
  if (ruleErrors.length)
    throw Errors.validation(
      ruleErrors.map((e) => ({ ...e, path: e.path.replace('/body/church', '/tables/church/0') })),
    );
  const taken = await deps.catalog
    .selectFrom('tenants')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (taken) throw Errors.conflict(`The church address "${slug}" is taken (restore with --as <slug>).`);
  const idFree =
    isTenantId(church.id) &&
    !(await deps.catalog.selectFrom('tenants').select('id').where('id', '=', church.id).executeTakeFirst());
  const tenantId = idFree ? (church.id as string) : uuidv7();

  const serverId = await placeTenant(deps.catalog, tenantId, slug, church);
  try {
    const target = await tenantTarget(deps.catalog, { id: tenantId, server_id: serverId });
    const { schemaVersion } = await deps.provisioning.createDatabase(target);
    const rows = await deps.tenants.withTenant(tenantId, (db) =>
      writeRows(db as unknown as AnyDb, parsed, { id: tenantId, slug }),
    );
    await deps.catalog
      .updateTable('tenants')
      .set({ status: 'active', schema_version: schemaVersion, updated_at: new Date().toISOString() })
      .where('id', '=', tenantId)
      .execute();
    deps.logger.info({ tenantId, slug, rows }, 'church restored from an export');
    return { tenantId, slug, serverId, rows };
  } catch (err) {
    await unplace(deps, tenantId, serverId);
    if (isUniqueViolation(err) || isForeignKeyViolation(err))
      throw new AppError('UNPROCESSABLE', `The export's rows are inconsistent: ${(err as Error).message}`);
    throw err;
  }
}

/** The catalog row, `provisioning` until the rows are in; placed like a signup. */
async function placeTenant(
  catalog: CatalogDb,
  id: string,
  slug: string,
  church: Row,
): Promise<string | null> {
  const now = new Date().toISOString();
  try {
    return await catalog.transaction().execute(async (trx) => {
      const serverId = await chooseServer(trx);
      await trx
        .insertInto('tenants')
        .values({
          id,
          slug,
          name: String(church.name),
          status: 'provisioning',
          server_id: serverId,
          timezone: String(church.timezone),
          currency: String(church.currency),
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (serverId && !(await takeServerSlot(trx, serverId))) throw new NoCapacityError();
      return serverId;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw Errors.conflict(`The church address "${slug}" is taken.`);
    if (err instanceof NoCapacityError)
      throw Errors.serviceUnavailable('No database capacity is available.', 60);
    throw err;
  }
}

// Removes what a failed restore made: the database (verified gone), the catalog row, the slot.
async function unplace(deps: RestoreDeps, tenantId: string, serverId: string | null): Promise<void> {
  try {
    await deps.provisioning.dropDatabase(
      await tenantTarget(deps.catalog, { id: tenantId, server_id: serverId }),
    );
    await deps.catalog.transaction().execute(async (trx) => {
      await trx.deleteFrom('tenants').where('id', '=', tenantId).execute();
      await releasePlacement(trx, serverId);
    });
  } catch (err) {
    deps.logger.error({ err, tenantId }, 'could not remove a failed restore; remove the church by hand');
  }
}

/** Inserts every exported row, parents first, in one transaction; returns how many. */
async function writeRows(
  db: AnyDb,
  parsed: ParsedExport,
  church: { id: string; slug: string },
): Promise<number> {
  const tables = await tenantTables(db);
  let count = 0;
  await db.transaction().execute(async (trx) => {
    for (const table of tables) {
      const rows = (parsed.tables.get(table.name) ?? []).map((r) => complete(table, r, church));
      // Rows of one insert share their columns (a column an older export lacks takes its default).
      const groups = new Map<string, Row[]>();
      for (const r of rows) {
        const key = Object.keys(r).join(',');
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
      for (const group of groups.values())
        for (let i = 0; i < group.length; i += pageSize(table))
          await insertRows(trx, table, group.slice(i, i + pageSize(table)));
      await linkSelfRefs(
        trx,
        table,
        rows.filter((r) => table.selfRefColumns.some((c) => r[c] != null)),
      );
      count += rows.length;
    }
  });
  return count;
}

/**
 * A row as stored: derived columns computed, the church's new id and slug, and a column an
 * export leaves out by design given an empty value (a password hash no password matches).
 */
function complete(table: CopyTable, exported: Row, church: { id: string; slug: string }): Row {
  const row: Row = { ...exported };
  const omitted = EXPORT_TABLES.find((t) => t.table === table.name)?.omit ?? [];
  for (const c of table.columns) {
    if (!omitted.includes(c.name) || row[c.name] != null || !c.notNull) continue;
    row[c.name] = c.name === 'password_hash' ? NO_PASSWORD : c.type === 'text' ? '' : 0;
  }
  const names = new Set(table.columns.map((c) => c.name));
  for (const c of table.columns) {
    const base = c.name.slice(0, -'_key'.length);
    if (isDerivedColumn(c.name) && names.has(base)) row[c.name] = searchKeyOrNull(row[base] as string | null);
  }
  if (table.name === 'church') Object.assign(row, church);
  return row;
}
