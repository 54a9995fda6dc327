import type { Kysely } from 'kysely';

// Churches that may have mail due, so the sweeper visits those instead of every church.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_pending')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('due_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('marked_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_pending_due_idx').on('mail_pending').column('due_at_ms').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_pending').execute();
}
