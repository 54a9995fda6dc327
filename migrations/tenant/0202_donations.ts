import type { Kysely } from 'kysely';

// A donation is a header (donor, date, method, batch) with one or more split rows, one per
// fund; a single-fund gift has exactly one split. Amounts are signed integer cents: a reversal
// is a new donation with negated splits, linked to its original by `reverses_id` (unique, so a
// donation is reversed at most once). Donor references are NO ACTION, not cascaded: giving
// history is a financial record and must not vanish or change when a person or household is
// deleted. (Not RESTRICT: SQLite reports that as SQLITE_CONSTRAINT_TRIGGER, while NO ACTION gives
// SQLITE_CONSTRAINT_FOREIGNKEY like PostgreSQL's 23503, which the delete services map to 409.)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('donations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.references('people.id'))
    .addColumn('household_id', 'text', (c) => c.references('households.id'))
    .addColumn('batch_id', 'text', (c) => c.references('batches.id'))
    .addColumn('reverses_id', 'text', (c) => c.unique().references('donations.id'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('check_number', 'text')
    .addColumn('note', 'text')
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('donations_received_idx')
    .on('donations')
    .columns(['received_on', 'id'])
    .execute();
  await db.schema
    .createIndex('donations_person_idx')
    .on('donations')
    .columns(['person_id', 'received_on'])
    .execute();
  await db.schema
    .createIndex('donations_household_idx')
    .on('donations')
    .columns(['household_id', 'received_on'])
    .execute();
  await db.schema.createIndex('donations_batch_idx').on('donations').columns(['batch_id', 'id']).execute();

  await db.schema
    .createTable('donation_splits')
    .addColumn('donation_id', 'text', (c) => c.notNull().references('donations.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('fund_id', 'text', (c) => c.notNull().references('funds.id'))
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('donation_splits_pk', ['donation_id', 'position'])
    .execute();
  await db.schema.createIndex('donation_splits_fund_idx').on('donation_splits').column('fund_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('donation_splits').execute();
  await db.schema.dropTable('donations').execute();
}
