import type { Kysely } from 'kysely';

// Failure counters for login and refresh throttling while Redis is unavailable. `key` is a hash,
// never a raw email or IP.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('auth_failure_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auth_failure_counters_expiry_idx')
    .on('auth_failure_counters')
    .column('expires_at_ms')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_failure_counters').execute();
}
