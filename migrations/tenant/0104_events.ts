import type { Kysely } from 'kysely';

// Events and attendance. (event_id, person_id) is the key of attendance, so checking someone in
// twice is a no-op. headcount is for services where only a count is taken.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('group_id', 'text', (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('location', 'text')
    .addColumn('headcount', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_starts_idx').on('events').columns(['starts_at', 'id']).execute();
  await db.schema.createIndex('events_group_idx').on('events').columns(['group_id', 'starts_at']).execute();
  await db.schema
    .createTable('attendance')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('checked_in_at', 'text', (c) => c.notNull())
    .addColumn('checked_in_by', 'text')
    .addPrimaryKeyConstraint('attendance_pk', ['event_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('attendance_person_idx')
    .on('attendance')
    .columns(['person_id', 'event_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attendance').execute();
  await db.schema.dropTable('events').execute();
}
