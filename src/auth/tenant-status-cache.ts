import type { CatalogDb } from '../platform/catalog-db.js';
import type { Tenant } from '../platform/catalog.table.js';

export type TenantSummary = Pick<Tenant, 'id' | 'slug' | 'name' | 'status'>;

/**
 * Church status for the auth hook, cached per process for a few seconds: a suspension takes
 * effect within `ttlMs` everywhere. (Revocations are never cached this way.)
 */
export class TenantStatusCache {
  private readonly entries = new Map<string, { at: number; tenant: TenantSummary | null }>();

  constructor(
    private readonly catalog: CatalogDb,
    private readonly ttlMs = 2000,
    private readonly maxEntries = 10_000,
  ) {}

  /** A fresh cached answer, synchronously (null = no such church); undefined = call `get`. */
  peek(tenantId: string): TenantSummary | null | undefined {
    const hit = this.entries.get(tenantId);
    return hit && Date.now() - hit.at < this.ttlMs ? hit.tenant : undefined;
  }

  async get(tenantId: string): Promise<TenantSummary | null> {
    const cached = this.peek(tenantId);
    if (cached !== undefined) return cached;
    const now = Date.now();
    const tenant =
      (await this.catalog
        .selectFrom('tenants')
        .select(['id', 'slug', 'name', 'status'])
        .where('id', '=', tenantId)
        .executeTakeFirst()) ?? null;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(tenantId, { at: now, tenant });
    return tenant;
  }

  /** Drops a cached entry (after a status change made by this process). */
  forget(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}
