import type { Kysely } from 'kysely';

// The church's own tax-receipt wording for giving statements; null keeps the default sentence.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('church').addColumn('tax_receipt_text', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('church').dropColumn('tax_receipt_text').execute();
}
