import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openSqlite } from '../infra/db/sqlite.js';
import { migrateTenantDb, type TenantMigrations } from './tenant-migrations.js';
import { tenantMigrations } from '../../migrations/tenant/index.js';
import { makePrivateDir } from '../infra/private-files.js';

/**
 * Pre-migrated SQLite template files, one per schema version, under `DATA_DIR/templates/`.
 * Built once (single-flight in the process, atomic rename across processes) and then copied.
 */
export class SqliteTemplates {
  private building: Promise<string> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly migrations: TenantMigrations = tenantMigrations,
  ) {}

  get version(): number {
    return Object.keys(this.migrations).length;
  }

  /** The template file for the current version, built if missing. */
  file(): string {
    return path.resolve(this.dataDir, 'templates', `tenant-v${this.version}.db`);
  }

  ensure(): Promise<string> {
    const file = this.file();
    if (fs.existsSync(file)) return Promise.resolve(file);
    this.building ??= this.build(file).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(file: string): Promise<string> {
    makePrivateDir(path.dirname(file));
    const tmp = `${file}.build-${process.pid}-${Date.now()}`;
    try {
      const db = openSqlite(tmp);
      try {
        await migrateTenantDb(db, this.migrations);
        // Stays in WAL mode (so a copy's first open changes nothing); the close below
        // checkpoints and removes the -wal file, leaving one self-contained file to copy.
        await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
      } finally {
        await db.destroy();
      }
      fs.renameSync(tmp, file);
    } finally {
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    }
    return file;
  }
}
