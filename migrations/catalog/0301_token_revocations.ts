import type { Kysely } from 'kysely';

// The durable revocation list. Times in epoch milliseconds (integers) so comparisons with token
// times are exact in both dialects; rows are purged once `expires_at_ms` has passed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('revoked_tokens')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('revoked_tokens_expiry_idx')
    .on('revoked_tokens')
    .column('expires_at_ms')
    .execute();

  // "Every token of this user issued before `revoked_before_ms` is refused."
  await db.schema
    .createTable('user_token_cutoffs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('revoked_before_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_token_cutoffs_pk', ['tenant_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('user_token_cutoffs_expiry_idx')
    .on('user_token_cutoffs')
    .column('expires_at_ms')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_token_cutoffs').execute();
  await db.schema.dropTable('revoked_tokens').execute();
}
