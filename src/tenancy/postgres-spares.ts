import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { quoteIdent } from '../infra/db/postgres.js';
import { type PgAdminPools, pgErrorCode } from '../infra/db/pg-admin.js';
import type { Logger } from '../infra/logger.js';
import type { PostgresTemplates } from './postgres-templates.js';
import type { SpareLedger, SpareRow, SpareTemplate } from './spare-ledger.js';
import type { SparePool, TenantLocation, TenantServer } from './tenant-driver.js';
import { pgTenantDbName } from './tenant-id.js';

const QUIET_MS = 1000;
/** Spares per server whose connection this process opens ahead: a signup takes the oldest. */
const WARM = 2;
/** A `creating` row this old belongs to a process that died mid-clone (a clone takes seconds). */
const STALE_CREATING_MS = 10 * 60_000;

/** The handle cache as spares use it: open a spare ahead of its signup, close it before a drop. */
export interface SpareHandles {
  warm(location: TenantLocation): Promise<void>;
  retire(tenantId: string): Promise<void>;
}

export interface PostgresSparesDeps {
  admin: PgAdminPools;
  templates: PostgresTemplates;
  /** TENANT_SPARE_DATABASES; 0 turns spares off (none made, taken or dropped). */
  perServer: number;
  /** Without a ledger (a process with no catalog of spares) spares are off. */
  ledger?: SpareLedger;
  handles?: SpareHandles;
  /** Counts a spare a signup took. */
  onTaken?: () => void;
  log: Logger;
}

/**
 * Spare tenant databases, cloned from the template ahead of demand and named `steeple_t_<id>`
 * from birth, with a catalog row each (spare-ledger.ts). A signup takes a row in its own record
 * transaction and its church gets the spare's id: no CREATE DATABASE (~50 ms, ~13/s per server
 * under a burst), and no step or version write. The oldest spares are opened ahead in the
 * handle cache, so the church's first statements run on a warm backend; another instance's
 * signup just connects. Spares count against no capacity; they are topped up per server to
 * `perServer` once signups on it pause, and pruned when their template is older than this
 * process's.
 */
export class PostgresSpares implements SparePool {
  /** Per server url: tenant clones waiting or running in this process. */
  private readonly cloning = new Map<string, number>();
  /** Per server url: when a signup last placed a church there or finished a clone. */
  private readonly lastDemand = new Map<string, number>();
  private readonly refills = new Map<string, Promise<void>>();
  private readonly closing = new AbortController();
  private readonly mine: SpareTemplate;

  constructor(private readonly deps: PostgresSparesDeps) {
    this.mine = { schemaVersion: deps.templates.version, template: deps.templates.hash };
  }

  get enabled(): boolean {
    return this.deps.perServer > 0 && this.deps.ledger !== undefined;
  }

  get template(): SpareTemplate | undefined {
    return this.enabled ? this.mine : undefined;
  }

  /** Runs a tenant's clone of the template, holding back top-ups on that server meanwhile. */
  async whileCloning<T>(serverUrl: string, clone: () => Promise<T>): Promise<T> {
    this.cloning.set(serverUrl, (this.cloning.get(serverUrl) ?? 0) + 1);
    try {
      return await clone();
    } finally {
      const left = (this.cloning.get(serverUrl) ?? 1) - 1;
      if (left > 0) this.cloning.set(serverUrl, left);
      else this.cloning.delete(serverUrl);
      this.lastDemand.set(serverUrl, Date.now());
    }
  }

  placed(server: TenantServer, fromSpare: boolean): void {
    if (!this.enabled) return;
    if (fromSpare) this.deps.onTaken?.();
    this.lastDemand.set(server.url, Date.now());
    void this.replenish(server);
  }

  async keep(server: TenantServer, takesTenants: boolean): Promise<void> {
    // With spares off, this process leaves any it finds alone. A top-up runs in the background
    // (clones take seconds); dropping is awaited.
    if (!this.enabled) return;
    if (takesTenants) void this.replenish(server);
    else await this.dropAll(server);
  }

  /**
   * How long a top-up clone must wait: it would compete with the signups being provisioned for
   * the server's disk and cores (a clone costs tens of ms of CPU and slows a new tenant's first
   * connection beside it), so it starts only once signups on the server pause. A burst is
   * CPU-bound: cloning during it only slows it down.
   */
  private quietIn(serverUrl: string): number {
    if (this.cloning.has(serverUrl)) return QUIET_MS;
    return (this.lastDemand.get(serverUrl) ?? 0) + QUIET_MS - Date.now();
  }

  /** Starts topping the server up to `perServer` spares unless a top-up is running; never throws. */
  replenish(server: TenantServer): Promise<void> {
    if (!this.enabled || this.closing.signal.aborted) return Promise.resolve();
    let run = this.refills.get(server.url);
    if (!run) {
      run = this.topUp(server)
        .catch((err) => {
          if (!this.closing.signal.aborted)
            this.deps.log.warn({ err }, 'could not top up spare tenant databases');
        })
        .finally(() => this.refills.delete(server.url));
      this.refills.set(server.url, run);
    }
    return run;
  }

  private async topUp(server: TenantServer): Promise<void> {
    const { admin, templates, ledger } = this.deps;
    const tpl = quoteIdent(await templates.ensure(server.url));
    await this.prune(server);
    for (;;) {
      const have = (await ledger!.list(server.id)).filter((r) => this.isMine(r) && r.state !== 'dropping');
      if (have.length >= this.deps.perServer) {
        await this.warm(server, have);
        return;
      }
      const wait = this.quietIn(server.url);
      if (wait > 0) {
        await sleep(wait, undefined, { signal: this.closing.signal, ref: false });
        continue;
      }
      // The row first: a crash before the database exists leaves a row for prune, never a
      // database nobody knows.
      const tenantId = uuidv7();
      await ledger!.add(server.id, { tenantId, ...this.mine });
      const name = pgTenantDbName(tenantId);
      try {
        // Under the server lock, like a tenant's clone: a waiting signup is delayed by one clone at most.
        await templates.withServerLock(server.url, () =>
          admin.query(server.url, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${tpl}`),
        );
        // Writes the relation-cache file now rather than in a church's first connection. Best
        // effort: an unvisited spare works the same, its first session just starts slower.
        await admin
          .visit(server.url, name)
          .catch((err) => this.deps.log.debug({ err }, 'could not visit a new spare tenant database'));
      } catch (err) {
        await this.dropOne(tenantId, server).catch(() => undefined);
        throw err;
      }
      // Taken for dropping meanwhile (prune judged it stale): this database must go too.
      if (!(await ledger!.markReady(tenantId))) await this.dropDatabase(tenantId, server);
    }
  }

  /**
   * Opens the oldest ready spares in the handle cache, so the signup that takes one finds its
   * connection open. Best effort: a spare that is not warm just connects when taken.
   */
  private async warm(server: TenantServer, spares: SpareRow[]): Promise<void> {
    const { handles, log } = this.deps;
    if (!handles) return;
    for (const spare of spares.filter((r) => r.state === 'ready').slice(0, WARM)) {
      await handles
        .warm({ tenantId: spare.tenantId, server, schemaVersion: spare.schemaVersion })
        .catch((err) => log.debug({ err }, 'could not open a spare tenant database ahead'));
    }
  }

  private isMine(r: SpareRow): boolean {
    return r.schemaVersion === this.mine.schemaVersion && r.template === this.mine.template;
  }

  /**
   * Drops spares of an older template or of another template of this version (a rebuilt one),
   * and finishes what a dead process left: rows long `creating`, rows `dropping`.
   */
  private async prune(server: TenantServer): Promise<void> {
    const staleBefore = new Date(Date.now() - STALE_CREATING_MS).toISOString();
    for (const r of await this.deps.ledger!.list(server.id)) {
      const older =
        r.schemaVersion < this.mine.schemaVersion ||
        (r.schemaVersion === this.mine.schemaVersion && r.template !== this.mine.template);
      const abandoned = r.state === 'dropping' || (r.state === 'creating' && r.createdAt < staleBefore);
      if (older || abandoned) await this.dropOne(r.tenantId, server);
    }
    await this.dropRenamedSpares(server);
  }

  /**
   * Drops spares of the earlier layout (`steeple_spare_...`, renamed by a signup, no catalog
   * row). No FORCE: one an older instance is renaming right now is left for the next prune, and
   * an older instance that finds none clones instead.
   */
  private async dropRenamedSpares(server: TenantServer): Promise<void> {
    const res = await this.deps.admin.query(
      server.url,
      "select datname from pg_database where starts_with(datname, 'steeple_spare_')",
    );
    for (const { datname } of res.rows as Array<{ datname: string }>) {
      await this.deps.admin
        .query(server.url, `DROP DATABASE IF EXISTS ${quoteIdent(datname)}`)
        .catch((err) => {
          if (pgErrorCode(err) !== '55006') throw err;
        });
    }
  }

  /** Drops every spare on the server, of any version (a draining or full server); returns how many. */
  async dropAll(server: TenantServer): Promise<number> {
    let dropped = 0;
    for (const r of await this.deps.ledger!.list(server.id))
      if (await this.dropOne(r.tenantId, server)) dropped++;
    return dropped;
  }

  /** Takes the row out of signups' reach, drops the database, then the row; false when a signup took it. */
  private async dropOne(tenantId: string, server: TenantServer): Promise<boolean> {
    if (!(await this.deps.ledger!.take(tenantId))) return false;
    await this.dropDatabase(tenantId, server);
    await this.deps.ledger!.remove(tenantId);
    return true;
  }

  private async dropDatabase(tenantId: string, server: TenantServer): Promise<void> {
    await this.deps.handles?.retire(tenantId);
    // FORCE: other instances may hold it open ahead too; with its row taken, nobody else will use it.
    await this.deps.admin.query(
      server.url,
      `DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(tenantId))} WITH (FORCE)`,
    );
  }

  /** Stops topping up and waits for the clones in flight (before the admin pools close). */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.refills.values()]);
  }
}
