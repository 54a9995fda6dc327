import type { Kysely } from 'kysely';

// People of the church. The *_key columns hold lower-cased copies (computed in JS, so Unicode
// folds the same on both dialects) for case-insensitive prefix search and a stable sort order.
// The household link lives in household_members (0101), which enforces one household per person.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('preferred_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('gender', 'text')
    .addColumn('membership_status', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('first_name_key', 'text', (c) => c.notNull())
    .addColumn('last_name_key', 'text', (c) => c.notNull())
    .addColumn('preferred_name_key', 'text')
    .addColumn('email_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('people_sort_idx')
    .on('people')
    .columns(['last_name_key', 'first_name_key', 'id'])
    .execute();
  await db.schema.createIndex('people_first_name_idx').on('people').column('first_name_key').execute();
  await db.schema.createIndex('people_email_idx').on('people').column('email_key').execute();
  await db.schema
    .createIndex('people_status_idx')
    .on('people')
    .columns(['membership_status', 'last_name_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('people').execute();
}
