import { type Kysely, sql } from 'kysely';

// One row per move of a church between database servers or engines: the step it reached is what
// a re-run resumes from. At most one unfinished move per church (the partial unique index).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_moves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('source_server_id', 'text')
    .addColumn('target_server_id', 'text')
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('rows_copied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_copied', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('write_pause_ms', 'integer')
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('drop_after', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('switched_at', 'text')
    .execute();
  await db.schema
    .createIndex('tenant_moves_tenant_idx')
    .on('tenant_moves')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('tenant_moves_unfinished_idx')
    .on('tenant_moves')
    .column('tenant_id')
    .unique()
    .where(sql.ref('step'), 'in', sql`('started', 'prepared', 'copied', 'frozen')`)
    .execute();
  await db.schema
    .createIndex('tenant_moves_switched_idx')
    .on('tenant_moves')
    .columns(['step', 'switched_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_moves').execute();
}
