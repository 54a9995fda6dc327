import type { Kysely } from 'kysely';

// Background imports: the uploaded file (base64 text, so one column type serves CSV and XLSX on
// both dialects; cleared when the run ends), the options, progress and the final report. The row
// is the durable record the job works from, so a redelivered job resumes from it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('rows_done', 'integer', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('problem', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('imports_status_idx').on('imports').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imports').execute();
}
