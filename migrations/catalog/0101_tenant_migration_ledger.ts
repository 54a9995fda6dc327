import type { Kysely } from 'kysely';

// One row per tenant and target version: the fleet migrator's durable progress, so a re-run
// resumes and failures stay visible. No foreign key: the ledger outlives deleted tenants.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_migration_ledger')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('from_version', 'integer', (c) => c.notNull())
    .addColumn('to_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duration_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_migration_ledger_pk', ['tenant_id', 'to_version'])
    .execute();
  await db.schema
    .createIndex('tenant_migration_ledger_status_idx')
    .on('tenant_migration_ledger')
    .columns(['to_version', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_migration_ledger').execute();
}
