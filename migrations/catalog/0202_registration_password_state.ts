import type { Kysely } from 'kysely';

// The registration row is written before its admin password hash exists, so hashing (tens of ms)
// overlaps creating the database. 'hashing' until the request stores the hash, 'failed' if
// hashing failed (the provisioner then rolls back at once); null once the hash is stored.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('admin_password_state', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').dropColumn('admin_password_state').execute();
}
