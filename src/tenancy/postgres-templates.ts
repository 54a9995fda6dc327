import { createHash, randomBytes } from 'node:crypto';
import { createPgPool, kyselyOverPool, quoteIdent, withDatabase } from '../infra/db/postgres.js';
import { type PgAdminPools, pgErrorCode } from '../infra/db/pg-admin.js';
import type { Logger } from '../infra/logger.js';
import { migrateTenantDb, type TenantMigrations } from './tenant-migrations.js';

/**
 * Template databases `steeple_tpl_v<N>`, one per schema version and server, built once and
 * cloned with CREATE DATABASE ... TEMPLATE. A template is built under a temporary name and
 * renamed when complete, and has ALLOW_CONNECTIONS false: nobody can hold a session on it, so
 * a clone never waits ~5 s for `55006`. Its comment fingerprints the migration names, so a
 * template built from a different list of the same length is rebuilt, never reused.
 */
export class PostgresTemplates {
  private readonly ready = new Map<string, Promise<string>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  readonly name: string;
  /** The schema version (number of migrations) the template is built at. */
  readonly version: number;
  /** Hex digest of the migration names: two templates of one version differ in it. */
  readonly hash: string;
  private readonly fingerprint: string;

  constructor(
    private readonly admin: PgAdminPools,
    private readonly migrations: TenantMigrations,
    private readonly log: Logger,
  ) {
    this.version = Object.keys(migrations).length;
    this.name = `steeple_tpl_v${this.version}`;
    this.hash = createHash('sha256').update(Object.keys(migrations).join('\n')).digest('hex').slice(0, 16);
    this.fingerprint = `steeple-template:${this.hash}`;
  }

  /** Runs `fn` alone among this process's template operations on one server. */
  withServerLock<T>(serverUrl: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(serverUrl) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.locks.set(
      serverUrl,
      next.catch(() => undefined),
    );
    return next;
  }

  /** The template's name on `serverUrl`, built first if missing or stale. */
  ensure(serverUrl: string): Promise<string> {
    let p = this.ready.get(serverUrl);
    if (!p) {
      p = this.withServerLock(serverUrl, () => this.build(serverUrl));
      this.ready.set(serverUrl, p);
      p.catch(() => this.ready.delete(serverUrl));
    }
    return p;
  }

  private async build(serverUrl: string): Promise<string> {
    const tpl = quoteIdent(this.name);
    const found = await this.admin.query(
      serverUrl,
      'select shobj_description(oid, $2) as c from pg_database where datname = $1',
      [this.name, 'pg_database'],
    );
    if (found.rowCount && found.rows[0].c === this.fingerprint) return this.name;
    if (found.rowCount) {
      this.log.warn({ template: this.name }, 'rebuilding a tenant template built from other migrations');
      await this.admin.query(serverUrl, `DROP DATABASE IF EXISTS ${tpl} WITH (FORCE)`);
    }
    const tmpName = `${this.name}_b${randomBytes(4).toString('hex')}`;
    const tmp = quoteIdent(tmpName);
    await this.admin.query(serverUrl, `CREATE DATABASE ${tmp}`);
    try {
      const db = kyselyOverPool(createPgPool(withDatabase(serverUrl, tmpName), { max: 1 }, this.log));
      try {
        await migrateTenantDb(db, this.migrations);
      } finally {
        await db.destroy();
      }
      await this.admin.query(serverUrl, `COMMENT ON DATABASE ${tmp} IS '${this.fingerprint}'`);
      await this.admin.query(serverUrl, `ALTER DATABASE ${tmp} ALLOW_CONNECTIONS false`);
      await this.admin.query(serverUrl, `ALTER DATABASE ${tmp} RENAME TO ${tpl}`);
    } catch (err) {
      await this.admin.query(serverUrl, `DROP DATABASE IF EXISTS ${tmp} WITH (FORCE)`).catch(() => undefined);
      // Another process finished the same template first: use theirs.
      if (pgErrorCode(err) === '42P04') return this.name;
      throw err;
    }
    return this.name;
  }
}
