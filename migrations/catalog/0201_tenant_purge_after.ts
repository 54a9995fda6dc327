import type { Kysely } from 'kysely';

// When a `deleting` church's database may be dropped. Its own column: `updated_at` moves with
// unrelated writes, and an operator's `delete --now` must be retried promptly if it fails.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('purge_after', 'text').execute();
  await db.schema.createIndex('tenants_purge_idx').on('tenants').columns(['status', 'purge_after']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tenants_purge_idx').execute();
  await db.schema.alterTable('tenants').dropColumn('purge_after').execute();
}
