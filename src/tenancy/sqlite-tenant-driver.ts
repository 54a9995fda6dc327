import fs from 'node:fs';
import path from 'node:path';
import { openSqliteHandle } from '../infra/db/sqlite.js';
import { SqliteTemplates } from './sqlite-templates.js';
import type { TenantDatabase } from './tenant-database.js';
import type { TenantDriver, TenantHandle, TenantLocation, TenantTarget } from './tenant-driver.js';
import { sqliteTenantFile, tenantsDir } from './tenant-id.js';
import type { TenantMigrations } from './tenant-migrations.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../infra/private-files.js';

export interface SqliteTenantDriverOptions {
  dataDir: string;
  /** Page-cache cap per handle (TENANT_SQLITE_CACHE_KB). */
  cacheKb: number;
  busyTimeoutMs?: number;
  migrations?: TenantMigrations;
}

/** Tenant databases as files `DATA_DIR/tenants/<id>.db`, created by copying a migrated template. */
export class SqliteTenantDriver implements TenantDriver {
  readonly kind = 'sqlite';
  readonly connectionsPerHandle = 0;
  private readonly templates: SqliteTemplates;

  constructor(private readonly opts: SqliteTenantDriverOptions) {
    this.templates = new SqliteTemplates(opts.dataDir, opts.migrations);
  }

  async open(location: TenantLocation): Promise<TenantHandle> {
    const file = sqliteTenantFile(this.opts.dataDir, location.tenantId);
    // mustExist: an unknown or deleted tenant never gets a fresh empty file.
    const { db, close } = openSqliteHandle<TenantDatabase>(file, {
      mustExist: true,
      cacheKb: this.opts.cacheKb,
      busyTimeoutMs: this.opts.busyTimeoutMs ?? 5000,
    });
    return { db, connections: 0, close };
  }

  async create(target: TenantTarget): Promise<void> {
    const file = sqliteTenantFile(this.opts.dataDir, target.tenantId);
    if (fs.existsSync(file)) return;
    const template = await this.templates.ensure();
    makePrivateDir(tenantsDir(this.opts.dataDir));
    // Copy to a temporary name, then rename: a crash never leaves a half-copied tenant file.
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    try {
      fs.copyFileSync(template, tmp, fs.constants.COPYFILE_FICLONE);
      fs.chmodSync(tmp, PRIVATE_FILE_MODE); // whatever mode an older template was made with
      fs.renameSync(tmp, file);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  async drop(target: TenantTarget): Promise<void> {
    const file = sqliteTenantFile(this.opts.dataDir, target.tenantId);
    const files = [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
    for (const f of files) fs.rmSync(f, { force: true });
    const left = files.filter((f) => fs.existsSync(f));
    if (left.length)
      throw new Error(`tenant files still present: ${left.map((f) => path.basename(f)).join(', ')}`);
  }
}
