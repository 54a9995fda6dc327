import type { TenantDb } from './tenant-database.js';

/** Where a tenant's database lives, as the catalog says. `server: null` means a SQLite file. */
export interface TenantLocation {
  tenantId: string;
  server: { id: string; url: string } | null;
  schemaVersion: number;
}

/** What provisioning needs to create or drop a tenant database. `serverUrl: null` means SQLite. */
export interface TenantTarget {
  tenantId: string;
  serverUrl: string | null;
}

/** One open tenant database as a driver returns it. */
export interface TenantHandle {
  readonly db: TenantDb;
  /** PostgreSQL connections this handle may hold (pool max); 0 for SQLite. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A storage backend for tenant databases. Dialect code lives only in its driver. */
export interface TenantDriver {
  readonly kind: 'sqlite' | 'postgres';
  /** Connections a handle of this driver costs against the budget. */
  readonly connectionsPerHandle: number;
  /** Opens an existing database; never creates one. */
  open(location: TenantLocation): Promise<TenantHandle>;
  /** Creates the database from the current template; a no-op when it already exists. */
  create(target: TenantTarget): Promise<void>;
  /** Removes the database and verifies it is gone. */
  drop(target: TenantTarget): Promise<void>;
  /**
   * Keeps spare databases ready on a server that takes new tenants, and none on one that does
   * not (draining, full). Drivers without spares leave it out.
   */
  keepSpares?(serverUrl: string, takesTenants: boolean): Promise<void>;
  /** Releases the driver's own resources (admin pools); called by the manager's shutdown. */
  close?(): Promise<void>;
}
