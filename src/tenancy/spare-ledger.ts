/** Which spares a process makes and a signup may take: one schema version built from one migration list. */
export interface SpareTemplate {
  schemaVersion: number;
  /** The template's fingerprint (postgres-templates.ts): two lists of one length differ in it. */
  template: string;
}

export type SpareState = 'creating' | 'ready' | 'dropping';

/** One spare database `steeple_t_<tenantId>` as the catalog records it. */
export interface SpareRow extends SpareTemplate {
  tenantId: string;
  state: SpareState;
  createdAt: string;
}

/**
 * Tenancy's view of the catalog's spare databases (platform implements it). A row is added
 * (`creating`) before its database is created and taken (`dropping`) before it is dropped, so a
 * crash leaves a row to finish, never a database nobody knows. A signup takes a `ready` row in
 * its own transaction (the row is then gone and its id is a church's).
 */
export interface SpareLedger {
  /** The server's rows, oldest first (the order signups take them in). */
  list(serverId: string): Promise<SpareRow[]>;
  add(serverId: string, spare: SpareTemplate & { tenantId: string }): Promise<void>;
  /** `creating` -> `ready`; false when the row was taken for dropping meanwhile. */
  markReady(tenantId: string): Promise<boolean>;
  /** Marks the row `dropping`, out of signups' reach; false when a signup took it first. */
  take(tenantId: string): Promise<boolean>;
  remove(tenantId: string): Promise<void>;
}
