import type { CatalogDb } from '../catalog-db.js';
import { finishLedgerAttempt, listLedger, startLedgerAttempt } from './migration-ledger.repository.js';
import type { TenantDatabases } from '../../tenancy/tenant-database.js';
import { migrateTenantDb, type TenantMigrations } from '../../tenancy/tenant-migrations.js';
import { tenantMigrations } from '../../../migrations/tenant/index.js';

export interface FleetMigrationOptions {
  /** Tenants migrated at once (default 8). */
  concurrency?: number;
  /** Include tenants whose last attempt at this version failed (skipped otherwise). */
  retryFailed?: boolean;
  /** Only this tenant (even if it failed before). */
  tenantId?: string;
  migrations?: TenantMigrations;
  onStart?(total: number): void;
  onResult?(result: FleetTenantResult): void;
}

export interface FleetTenantResult {
  tenantId: string;
  slug: string;
  /** Server id (never its URL), null for SQLite. */
  server: string | null;
  from: number;
  to: number;
  status: 'succeeded' | 'failed';
  durationMs: number;
  error?: string;
}

export interface FleetSummary {
  targetVersion: number;
  total: number;
  succeeded: number;
  failed: number;
  /** Behind, but skipped because the last attempt failed (use retryFailed). */
  skippedFailed: number;
  durationMs: number;
}

/**
 * Brings every active or suspended tenant to the current schema with bounded concurrency,
 * recording each attempt in the catalog ledger. Re-running resumes: migrated tenants are no
 * longer behind, failed ones wait for `retryFailed`. Runs through the manager, so opens share
 * its budget and a tenant in use by this process is migrated on its own handle.
 */
export async function migrateFleet(
  catalog: CatalogDb,
  tenants: TenantDatabases,
  opts: FleetMigrationOptions = {},
): Promise<FleetSummary> {
  const started = performance.now();
  const migrations = opts.migrations ?? tenantMigrations;
  const to = Object.keys(migrations).length;
  let q = catalog
    .selectFrom('tenants')
    .select(['id', 'slug', 'schema_version', 'server_id'])
    .where('schema_version', '<', to)
    .where('status', 'in', ['active', 'suspended'])
    .orderBy('id');
  if (opts.tenantId) q = q.where('id', '=', opts.tenantId);
  const behind = await q.execute();
  const failedBefore = new Set((await listLedger(catalog, to, 'failed')).map((r) => r.tenant_id));
  const skip = opts.retryFailed || opts.tenantId ? new Set<string>() : failedBefore;
  const todo = behind.filter((t) => !skip.has(t.id));
  opts.onStart?.(todo.length);

  const concurrency = Math.max(1, opts.concurrency ?? 8);
  // At most this many at once on one PostgreSQL server.
  const perServer = Math.min(concurrency, 4);
  const gates = new Map<string, Semaphore>();
  const summary = { succeeded: 0, failed: 0 };

  const migrateOne = async (t: (typeof todo)[number]) => {
    await startLedgerAttempt(catalog, t.id, t.schema_version, to);
    const t0 = performance.now();
    let error: string | undefined;
    try {
      await tenants.withTenant(t.id, (db) => migrateTenantDb(db, migrations));
      await catalog
        .updateTable('tenants')
        .set({ schema_version: to, updated_at: new Date().toISOString() })
        .where('id', '=', t.id)
        .execute();
    } catch (err) {
      error = describe(err);
    }
    const durationMs = performance.now() - t0;
    const status = error ? 'failed' : 'succeeded';
    await finishLedgerAttempt(catalog, t.id, to, { status, durationMs, error });
    summary[status]++;
    opts.onResult?.({
      tenantId: t.id,
      slug: t.slug,
      server: t.server_id,
      from: t.schema_version,
      to,
      status,
      durationMs: Math.round(durationMs),
      ...(error ? { error } : {}),
    });
  };

  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const t = todo[next++]!;
      if (!t.server_id) {
        await migrateOne(t);
        continue;
      }
      const gate = gates.get(t.server_id) ?? new Semaphore(perServer);
      gates.set(t.server_id, gate);
      await gate.run(() => migrateOne(t));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  return {
    targetVersion: to,
    total: todo.length,
    ...summary,
    skippedFailed: behind.length - todo.length,
    durationMs: Math.round(performance.now() - started),
  };
}

// The root cause is what an operator needs (the manager wraps open failures).
function describe(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e?.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return e?.message ?? String(err);
}

class Semaphore {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released slot is handed straight to the next waiter, so `active` never exceeds max.
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
