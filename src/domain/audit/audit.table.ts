import type { Insertable, Selectable } from 'kysely';

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  /** create | update | delete | commit | import | ... */
  action: string;
  entity: string;
  entity_id: string;
  /** JSON: `{ before?, after? }` with only the fields that changed. */
  changes: string;
  request_id: string | null;
}
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    audit_log: AuditLogTable;
  }
}
