import type { Kysely } from 'kysely';

// What other systems' exports carry about a person: middle name and suffix on the person row
// (a year-less birthday is stored in birth_date as `--MM-DD`, the ISO 8601 form without a year);
// extra emails and phones beyond the primary ones; and external ids, (kind, source, id) -> the
// Steeple row, which make a re-import update instead of duplicate. External ids are keyed by kind
// (person, household, donation) rather than one table per kind: lookups always join the target,
// so a row left behind by a deleted target is never followed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').addColumn('middle_name', 'text').execute();
  await db.schema.alterTable('people').addColumn('suffix', 'text').execute();
  await db.schema
    .createTable('person_contacts')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('value_key', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addPrimaryKeyConstraint('person_contacts_pk', ['person_id', 'kind', 'position'])
    .execute();
  await db.schema
    .createIndex('person_contacts_value_idx')
    .on('person_contacts')
    .columns(['kind', 'value_key'])
    .execute();
  await db.schema
    .createTable('external_ids')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_ids_pk', ['kind', 'source', 'external_id'])
    .execute();
  await db.schema
    .createIndex('external_ids_target_idx')
    .on('external_ids')
    .columns(['kind', 'target_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('external_ids').execute();
  await db.schema.dropTable('person_contacts').execute();
  await db.schema.alterTable('people').dropColumn('suffix').execute();
  await db.schema.alterTable('people').dropColumn('middle_name').execute();
}
