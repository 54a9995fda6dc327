import type { Kysely } from 'kysely';

// "Every access token of this session (refresh family) is refused": written when a refresh token
// is replayed, so the family's access tokens stop at once, not at their expiry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('revoked_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('revoked_sessions_expiry_idx')
    .on('revoked_sessions')
    .column('expires_at_ms')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('revoked_sessions').execute();
}
