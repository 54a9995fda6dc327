import type { Kysely } from 'kysely';

// Custom person fields: a church defines its own fields (key, label, type, choices, position)
// and each person may hold one value per field. Values are stored as canonical text (numbers as
// their decimal text, dates as YYYY-MM-DD, yes/no as "true"/"false") so one column and one index
// serve every type; the (field_id, value) index answers the people-list filter.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('choices', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('person_field_values')
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('field_id', 'text', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_field_values_pk', ['person_id', 'field_id'])
    .execute();
  await db.schema
    .createIndex('person_field_values_filter_idx')
    .on('person_field_values')
    .columns(['field_id', 'value'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_field_values').execute();
  await db.schema.dropTable('custom_fields').execute();
}
