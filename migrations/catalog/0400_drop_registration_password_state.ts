import type { Kysely } from 'kysely';

// A signup now hashes its admin password before it records the registration, so the row is
// written with its hash and no hand-off state is left to track. A registration recorded without
// a hash by an older version is rolled back by the provisioner (its plaintext is gone).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').dropColumn('admin_password_state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registrations').addColumn('admin_password_state', 'text').execute();
}
