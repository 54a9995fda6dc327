import type { SpareTemplate } from './spare-ledger.js';
import type { TenantDb } from './tenant-database.js';

/** A PostgreSQL server as the catalog knows it. */
export interface TenantServer {
  id: string;
  url: string;
}

/** Where a tenant's database lives, as the catalog says. `server: null` means a SQLite file. */
export interface TenantLocation {
  tenantId: string;
  server: TenantServer | null;
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
  /**
   * Opens an existing database; never creates one. `keepConnection`: the handle keeps its first
   * connection open while idle (a spare opened ahead of the signup that takes it).
   */
  open(location: TenantLocation, opts?: { keepConnection?: boolean }): Promise<TenantHandle>;
  /** Creates the database from the current template; a no-op when it already exists. */
  create(target: TenantTarget): Promise<void>;
  /** Removes the database and verifies it is gone. */
  drop(target: TenantTarget): Promise<void>;
  /** Spare databases made ahead of signups; drivers without them leave it out. */
  readonly spares?: SparePool;
  /** Releases the driver's own resources (admin pools); called by the manager's shutdown. */
  close?(): Promise<void>;
}

/** Databases a driver keeps ready per server; a signup takes one in the catalog (spare-ledger.ts). */
export interface SparePool {
  /** What a signup may take; undefined when spares are off. */
  readonly template: SpareTemplate | undefined;
  /** Keeps spares ready on a server that takes new tenants, and none on one that does not (draining, full). */
  keep(server: TenantServer, takesTenants: boolean): Promise<void>;
  /**
   * A church was placed on the server, `fromSpare` or cloned: top-ups wait for signups there to
   * pause, then refill.
   */
  placed(server: TenantServer, fromSpare: boolean): void;
}
