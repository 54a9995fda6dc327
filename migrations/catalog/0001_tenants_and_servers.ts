import type { Kysely } from 'kysely';

// Times are ISO-8601 UTC text in both dialects so repositories stay dialect-free.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('db_servers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tenant_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('server_id', 'text', (c) => c.references('db_servers.id'))
    .addColumn('schema_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_active_at', 'text')
    .execute();
  await db.schema.createIndex('tenants_last_active_idx').on('tenants').column('last_active_at').execute();
  await db.schema.createIndex('tenants_server_idx').on('tenants').column('server_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenants').execute();
  await db.schema.dropTable('db_servers').execute();
}
