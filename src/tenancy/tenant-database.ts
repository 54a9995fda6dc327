import type { Kysely } from 'kysely';

/**
 * The tenant schema as one Kysely type. Each module that owns tenant tables adds them by
 * declaration merging from its own `*.table.ts`, so tenancy never imports the modules:
 *
 *   declare module '../../tenancy/tenant-database.js' {
 *     interface TenantDatabase { people: PeopleTable }
 *   }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface TenantDatabase {}

export type TenantDb = Kysely<TenantDatabase>;

/** A leased tenant database: usable until `release()`, never closed while leased. */
export interface TenantLease {
  readonly tenantId: string;
  readonly db: TenantDb;
  /** Idempotent: a second call is a no-op. */
  release(): void;
}

/** The only way code gets a tenant database (implemented by TenantDbManager). */
export interface TenantDatabases {
  acquire(tenantId: string): Promise<TenantLease>;
  withTenant<T>(tenantId: string, fn: (db: TenantDb) => Promise<T>): Promise<T>;
}
