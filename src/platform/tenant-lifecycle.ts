import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { Errors } from '../errors/app-error.js';
import type { Logger } from '../infra/logger.js';
import type { CatalogDb } from './catalog-db.js';
import type { Tenant, TenantStatus } from './catalog.table.js';
import { releasePlacement, tenantTarget } from './db-servers.js';
import type { TenantProvisioning } from '../tenancy/tenant-provisioning.js';
import { makePrivateDir } from '../infra/private-files.js';

export interface TenantLifecycleDeps {
  catalog: CatalogDb;
  provisioning: Pick<TenantProvisioning, 'dropDatabase'>;
  logger: Logger;
  dataDir: string;
  deleteGraceDays: number;
  /** Writes the church's full export as JSON to `out` (the export module implements it). */
  exportTenant(tenantId: string, out: Writable): Promise<void>;
}

/** A church by id or slug; a 404 when there is none. */
export async function findTenant(catalog: CatalogDb, ref: string): Promise<Tenant> {
  const t = await catalog
    .selectFrom('tenants')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', ref), eb('slug', '=', ref)]))
    .executeTakeFirst();
  if (!t) throw Errors.notFound('church');
  return t;
}

/** Operator actions on a church: suspend, resume, export, delete (with grace) and purge. */
export class TenantLifecycle {
  constructor(private readonly deps: TenantLifecycleDeps) {}

  /** By id or slug. */
  find(ref: string): Promise<Tenant> {
    return findTenant(this.deps.catalog, ref);
  }

  async list(): Promise<Tenant[]> {
    return this.deps.catalog.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  suspend(ref: string) {
    return this.transition(ref, ['active'], 'suspended');
  }

  resume(ref: string) {
    return this.transition(ref, ['suspended'], 'active');
  }

  /** Mirrors a church's profile edit into the catalog (login answers and operator listings read it there). */
  async updateProfile(
    id: string,
    profile: { name: string; timezone: string; currency: string },
  ): Promise<void> {
    await this.deps.catalog
      .updateTable('tenants')
      .set({ ...profile, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  /** Writes the export to DATA_DIR/exports and returns its path. */
  async exportToFile(ref: string): Promise<string> {
    const tenant = await this.find(ref);
    const dir = path.join(this.deps.dataDir, 'exports');
    makePrivateDir(dir);
    const file = path.join(dir, `${tenant.id}-${new Date().toISOString().replaceAll(':', '-')}.json`);
    await this.deps.exportTenant(tenant.id, fs.createWriteStream(file, { mode: 0o600 }));
    return file;
  }

  /**
   * Marks the church `deleting` (its tokens are refused from now on) and writes an export.
   * The database is dropped by `purge` after the grace period, or now with `now: true`.
   */
  async requestDelete(
    ref: string,
    { now = false } = {},
  ): Promise<{ tenant: Tenant; exportFile: string | null }> {
    const tenant = await this.find(ref);
    if (tenant.status === 'deleted') throw Errors.conflict('The church is already deleted.');
    if (tenant.status === 'provisioning') throw Errors.conflict('The church is still being set up.');
    let exportFile: string | null = null;
    const graceMs = now ? 0 : this.deps.deleteGraceDays * 86_400_000;
    if (tenant.status !== 'deleting') {
      exportFile = await this.exportToFile(tenant.id);
      await this.markDeleting(tenant.id, new Date(Date.now() + graceMs).toISOString());
      this.deps.logger.info({ tenantId: tenant.id, exportFile }, 'church marked for deletion');
    } else if (now) {
      await this.markDeleting(tenant.id, new Date().toISOString());
    }
    // A failed purge stays due: the reconciler retries it on its next run.
    if (now) await this.purge(tenant.id);
    return { tenant: await this.find(tenant.id), exportFile };
  }

  /**
   * Drops the database of a `deleting` church and frees its slug. Resumable: a purge that
   * failed half-way is simply run again by the reconciler.
   */
  async purge(tenantId: string): Promise<void> {
    const tenant = await this.find(tenantId);
    if (tenant.status !== 'deleting') return;
    await this.deps.provisioning.dropDatabase(await tenantTarget(this.deps.catalog, tenant));
    await this.deps.catalog.transaction().execute(async (trx) => {
      await trx
        .updateTable('tenants')
        // The slug is unique: renaming it frees the address for a new church.
        .set({ status: 'deleted', slug: `~deleted-${tenant.id}`, updated_at: new Date().toISOString() })
        .where('id', '=', tenant.id)
        .execute();
      await releasePlacement(trx, tenant.server_id);
    });
    this.deps.logger.info({ tenantId: tenant.id }, 'church database dropped');
  }

  /** Purges every `deleting` church that is due (grace over, or asked for now); run by the reconciler. */
  async purgeExpired(): Promise<number> {
    const due = await this.deps.catalog
      .selectFrom('tenants')
      .select('id')
      .where('status', '=', 'deleting')
      .where('purge_after', '<=', new Date().toISOString())
      .execute();
    for (const { id } of due) {
      await this.purge(id).catch((err) =>
        this.deps.logger.error({ err, tenantId: id }, 'purge failed; will retry'),
      );
    }
    return due.length;
  }

  private async transition(ref: string, from: TenantStatus[], to: TenantStatus): Promise<Tenant> {
    const tenant = await this.find(ref);
    if (!from.includes(tenant.status)) throw Errors.conflict(`The church is ${tenant.status}.`);
    await this.setStatus(tenant.id, to);
    return this.find(tenant.id);
  }

  private async markDeleting(id: string, purgeAfter: string) {
    await this.deps.catalog
      .updateTable('tenants')
      .set({ status: 'deleting', purge_after: purgeAfter, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  private async setStatus(id: string, status: TenantStatus) {
    await this.deps.catalog
      .updateTable('tenants')
      .set({ status, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  }
}
