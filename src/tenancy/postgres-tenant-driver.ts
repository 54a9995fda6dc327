import { sql } from 'kysely';
import { PgAdminPools, pgErrorCode } from '../infra/db/pg-admin.js';
import { createPgPool, kyselyOverPool, quoteIdent, withDatabase } from '../infra/db/postgres.js';
import type { Logger } from '../infra/logger.js';
import { PostgresTemplates } from './postgres-templates.js';
import type { TenantDatabase } from './tenant-database.js';
import type { TenantDriver, TenantHandle, TenantLocation, TenantTarget } from './tenant-driver.js';
import { pgTenantDbName } from './tenant-id.js';
import type { TenantMigrations } from './tenant-migrations.js';
import { tenantMigrations } from '../../migrations/tenant/index.js';

export interface PostgresTenantDriverOptions {
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleTimeoutMs?: number;
  migrations?: TenantMigrations;
  logger: Logger;
}

const CLONE_RETRIES = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tenant databases `steeple_t_<id>` on the tenant's server, a bounded pg.Pool per open tenant. */
export class PostgresTenantDriver implements TenantDriver {
  readonly kind = 'postgres';
  readonly connectionsPerHandle: number;
  private readonly admin: PgAdminPools;
  readonly templates: PostgresTemplates;

  constructor(private readonly opts: PostgresTenantDriverOptions) {
    this.connectionsPerHandle = opts.poolMax;
    this.admin = new PgAdminPools(opts.logger, opts.connectTimeoutMs);
    this.templates = new PostgresTemplates(this.admin, opts.migrations ?? tenantMigrations, opts.logger);
  }

  async open(location: TenantLocation): Promise<TenantHandle> {
    if (!location.server) throw new Error('not a PostgreSQL tenant');
    const url = withDatabase(location.server.url, pgTenantDbName(location.tenantId));
    const pool = createPgPool(
      url,
      {
        max: this.opts.poolMax,
        connectionTimeoutMillis: this.opts.connectTimeoutMs,
        idleTimeoutMillis: this.opts.idleTimeoutMs ?? 10_000,
        statementTimeoutMs: this.opts.statementTimeoutMs,
        applicationName: 'steeple-tenant',
      },
      this.opts.logger,
    );
    const db = kyselyOverPool<TenantDatabase>(pool);
    try {
      // Fail now (missing database, server down) rather than on the request's first query.
      await sql`select 1`.execute(db);
    } catch (err) {
      await db.destroy().catch(() => undefined);
      throw err;
    }
    return { db, connections: this.opts.poolMax, close: () => db.destroy() };
  }

  async create(target: TenantTarget): Promise<void> {
    const serverUrl = requireServer(target);
    const name = quoteIdent(pgTenantDbName(target.tenantId));
    const tpl = quoteIdent(await this.templates.ensure(serverUrl));
    // Serialized per server: concurrent clones of one template can see each other as users of it.
    await this.templates.withServerLock(serverUrl, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.admin.query(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${tpl}`);
          return;
        } catch (err) {
          const code = pgErrorCode(err);
          if (code === '42P04') return; // already exists: provisioning is idempotent
          if (code !== '55006' || attempt >= CLONE_RETRIES) throw err;
          await sleep(100 * 2 ** attempt);
        }
      }
    });
  }

  async drop(target: TenantTarget): Promise<void> {
    const serverUrl = requireServer(target);
    const dbName = pgTenantDbName(target.tenantId);
    await this.admin.query(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`);
    const left = await this.admin.query(serverUrl, 'select 1 from pg_database where datname = $1', [dbName]);
    if (left.rowCount) throw new Error(`tenant database ${dbName} still exists after DROP`);
  }

  close(): Promise<void> {
    return this.admin.close();
  }
}

function requireServer(target: TenantTarget): string {
  if (!target.serverUrl) throw new Error('not a PostgreSQL tenant');
  return target.serverUrl;
}
