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
  /** argon2id PHC string, written with the registration; cleared once the admin user exists. */
  admin_password_hash: string | null;
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
