import type { Generated, Selectable } from 'kysely';

export type RegistrationStatus = 'pending' | 'provisioning' | 'ready' | 'failed';
/** The last step completed; each step is idempotent so a retry resumes from here. */
export type RegistrationStep = 'reserved' | 'database' | 'seeded' | 'active';

export interface RegistrationsTable {
  id: string;
  tenant_id: string;
  slug: string;
  status: RegistrationStatus;
  step: RegistrationStep;
  church_name: string;
  timezone: string;
  currency: string;
  admin_name: string;
  admin_email: string;
  admin_password_hash: string | null;
  /** 'hashing' until the signup request stores the hash, 'failed' if it could not; then null. */
  admin_password_state: 'hashing' | 'failed' | null;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}
export type Registration = Selectable<RegistrationsTable>;

declare module '../catalog.table.js' {
  interface CatalogDatabase {
    registrations: RegistrationsTable;
  }
}
