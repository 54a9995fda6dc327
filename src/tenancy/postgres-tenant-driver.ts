import { PgAdminPools, pgErrorCode } from '../infra/db/pg-admin.js';
import { createPgPool, kyselyOverPool, quoteIdent, withDatabase } from '../infra/db/postgres.js';
import type { Logger } from '../infra/logger.js';
import { PostgresSpares, type SpareHandles } from './postgres-spares.js';
import { PostgresTemplates } from './postgres-templates.js';
import type { TenantDatabase } from './tenant-database.js';
import type { SpareLedger } from './spare-ledger.js';
import type { TenantDriver, TenantHandle, TenantLocation, TenantTarget } from './tenant-driver.js';
import { pgTenantDbName } from './tenant-id.js';
import type { TenantMigrations } from './tenant-migrations.js';
import { tenantMigrations } from '../../migrations/tenant/index.js';

export interface PostgresTenantDriverOptions {
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleTimeoutMs?: number;
  /** Spare databases kept ready per server (postgres-spares.ts); 0 clones on demand only. */
  sparesPerServer?: number;
  /** The catalog's rows of spares; without it spares are off. */
  spareLedger?: SpareLedger;
  /** The handle cache, which opens spares ahead and closes them before a drop. */
  spareHandles?: SpareHandles;
  /** Counts each church database, by where it came from. */
  onCreated?: (source: 'spare' | 'clone') => void;
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
  readonly spares: PostgresSpares;

  constructor(private readonly opts: PostgresTenantDriverOptions) {
    this.connectionsPerHandle = opts.poolMax;
    this.admin = new PgAdminPools(opts.logger, opts.connectTimeoutMs);
    this.templates = new PostgresTemplates(this.admin, opts.migrations ?? tenantMigrations, opts.logger);
    this.spares = new PostgresSpares({
      admin: this.admin,
      templates: this.templates,
      perServer: opts.sparesPerServer ?? 0,
      ledger: opts.spareLedger,
      handles: opts.spareHandles,
      onTaken: () => opts.onCreated?.('spare'),
      log: opts.logger,
    });
  }

  async open(location: TenantLocation, opts: { keepConnection?: boolean } = {}): Promise<TenantHandle> {
    if (!location.server) throw new Error('not a PostgreSQL tenant');
    const url = withDatabase(location.server.url, pgTenantDbName(location.tenantId));
    const pool = createPgPool(
      url,
      {
        max: this.opts.poolMax,
        connectionTimeoutMillis: this.opts.connectTimeoutMs,
        idleTimeoutMillis: this.opts.idleTimeoutMs ?? 10_000,
        min: opts.keepConnection ? 1 : 0,
        statementTimeoutMs: this.opts.statementTimeoutMs,
        applicationName: 'steeple-tenant',
      },
      this.opts.logger,
    );
    try {
      // Fail now (missing database, server down) rather than on the request's first query; the
      // connection stays in the pool for that query (a `select 1` would cost a round trip more).
      (await pool.connect()).release();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    const db = kyselyOverPool<TenantDatabase>(pool);
    return { db, connections: this.opts.poolMax, close: () => db.destroy() };
  }

  async create(target: TenantTarget): Promise<void> {
    const serverUrl = requireServer(target);
    const dbName = pgTenantDbName(target.tenantId);
    await this.spares.whileCloning(serverUrl, () => this.clone(serverUrl, dbName));
    this.opts.onCreated?.('clone');
  }

  private async clone(serverUrl: string, dbName: string): Promise<void> {
    const name = quoteIdent(dbName);
    const tpl = quoteIdent(await this.templates.ensure(serverUrl));
    // Serialized per server: clones do not run faster side by side (measured), and a queue keeps
    // the order fair.
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

  async close(): Promise<void> {
    await this.spares.close();
    await this.admin.close();
  }
}

function requireServer(target: TenantTarget): string {
  if (!target.serverUrl) throw new Error('not a PostgreSQL tenant');
  return target.serverUrl;
}
