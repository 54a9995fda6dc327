import type { Kysely } from 'kysely';

// Spare PostgreSQL tenant databases, named `steeple_t_<tenant_id>` from birth: a signup takes a
// `ready` row in its own transaction and its church gets that id. A row is written before its
// database is created and marked `dropping` before it is dropped, so a database never exists
// without a row that says what it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('spare_databases')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('server_id', 'text', (c) => c.notNull().references('db_servers.id'))
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('spare_databases_take_idx')
    .on('spare_databases')
    .columns(['server_id', 'state', 'tenant_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spare_databases').execute();
}
