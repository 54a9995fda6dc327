import type { CatalogDb } from '../platform/catalog-db.js';
import type { Tenant } from '../platform/catalog.table.js';

export type TenantSummary = Pick<Tenant, 'id' | 'slug' | 'name' | 'status'>;

/**
 * A church's name, slug and status for what a signed-in user is shown (`GET /api/me`), cached
 * per process for a few seconds. The auth hook never uses it: it reads the status with the
 * revocations, on every request (revocation-store.ts).
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
}
