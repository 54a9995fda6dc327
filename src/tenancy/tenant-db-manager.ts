import type { Logger } from '../infra/logger.js';
import { ChangeSignal } from './change-signal.js';
import type { TenantDb, TenantDatabases, TenantLease } from './tenant-database.js';
import {
  noopObserver,
  type TenantDbObserver,
  type TenantDbStats,
  type TenantDbStatus,
} from './tenant-db-stats.js';
import type { TenantDriver, TenantHandle, TenantTarget } from './tenant-driver.js';
import { InvalidTenantIdError, TenantUnavailableError, UnknownTenantError } from './tenant-errors.js';
import { isTenantId } from './tenant-id.js';
import type { TenantLocator } from './tenant-locator.js';
import { migrateTenantDb, type TenantMigrations } from './tenant-migrations.js';
import { tenantMigrations } from '../../migrations/tenant/index.js';

export interface TenantDbManagerOptions {
  locator: TenantLocator;
  drivers: { sqlite: TenantDriver; postgres?: TenantDriver };
  logger: Logger;
  cacheMax: number;
  closeTimeoutMs: number;
  idleTimeoutMs: number;
  connectionBudget: number;
  acquireTimeoutMs: number;
  /** Migrate a tenant whose catalog version is behind on open (default on, 30 s deadline). */
  migrateOnOpen?: boolean;
  migrationDeadlineMs?: number;
  migrations?: TenantMigrations;
  /** How long shutdown waits for leases to be released before closing anyway (default closeTimeoutMs). */
  drainTimeoutMs?: number;
  observer?: TenantDbObserver;
}

interface Entry {
  tenantId: string;
  kind: 'sqlite' | 'postgres';
  handle: TenantHandle;
  cost: number;
  leases: number;
  openedAt: number;
  lastUsed: number;
  lastMarked: number;
  /** Being dropped: not handed out again, closed once its leases are gone. */
  retired: boolean;
}

interface Opening {
  promise: Promise<Entry>;
  /** Callers sharing this open; the entry starts with this many leases. */
  joiners: number;
}

// last_active_at feeds pre-warming; once a minute per tenant is plenty.
const MARK_ACTIVE_EVERY_MS = 60_000;

/**
 * Owns every open tenant database handle in the process: a bounded LRU of leased
 * handles, single-flight opens, a PostgreSQL connection budget with bounded waits, idle sweeps,
 * closes with deadlines, and a draining shutdown. A leased handle is never closed.
 */
export class TenantDbManager implements TenantDatabases {
  private readonly entries = new Map<string, Entry>();
  private readonly openings = new Map<string, Opening>();
  /** Handles taken out of the cache by `evict` while leased: closed when their last lease ends. */
  private readonly detached = new Set<Entry>();
  private readonly signal = new ChangeSignal();
  private readonly observer: TenantDbObserver;
  private readonly migrations: TenantMigrations;
  private readonly targetVersion: number;
  private readonly sweepTimer: NodeJS.Timeout;
  private reservedSlots = 0;
  private reservedCost = 0;
  private openCost = 0;
  private closingCost = 0;
  private pendingHandles = 0;
  private waiting = 0;
  private closingCount = 0;
  private shuttingDown: Promise<void> | undefined;
  private readonly counts = {
    created: 0,
    closed: 0,
    evicted: 0,
    idleClosed: 0,
    openErrors: 0,
    closeErrors: 0,
    closeTimeouts: 0,
  };

  constructor(private readonly opts: TenantDbManagerOptions) {
    this.observer = opts.observer ?? noopObserver;
    this.migrations = opts.migrations ?? tenantMigrations;
    this.targetVersion = Object.keys(this.migrations).length;
    const every = Math.max(1000, Math.min(opts.idleTimeoutMs, 60_000));
    this.sweepTimer = setInterval(() => {
      if (!this.shuttingDown) void this.sweepIdle();
    }, every);
    this.sweepTimer.unref();
  }

  /** The drivers, for provisioning (create/drop) and fleet operations. */
  driverFor(target: Pick<TenantTarget, 'serverUrl'>): TenantDriver {
    if (!target.serverUrl) return this.opts.drivers.sqlite;
    const pg = this.opts.drivers.postgres;
    if (!pg) throw new Error('no PostgreSQL tenant driver configured');
    return pg;
  }

  async withTenant<T>(tenantId: string, fn: (db: TenantDb) => Promise<T>): Promise<T> {
    const lease = await this.acquire(tenantId);
    try {
      return await fn(lease.db);
    } finally {
      lease.release();
    }
  }

  async acquire(tenantId: string): Promise<TenantLease> {
    if (!isTenantId(tenantId)) throw new InvalidTenantIdError();
    const started = performance.now();
    const deadline = Date.now() + this.opts.acquireTimeoutMs;
    try {
      for (;;) {
        if (this.shuttingDown) throw new TenantUnavailableError(tenantId, 'closed');
        const entry = this.entries.get(tenantId);
        if (entry && !entry.retired) {
          entry.leases++;
          // Re-insert: Map order is the LRU order, most recent last.
          this.entries.delete(tenantId);
          this.entries.set(tenantId, entry);
          return this.lease(entry);
        }
        if (entry) {
          await this.waitForChange(tenantId, deadline);
          continue;
        }
        let opening = this.openings.get(tenantId);
        if (opening) opening.joiners++;
        else opening = this.startOpen(tenantId, deadline);
        return this.lease(await opening.promise);
      }
    } finally {
      this.observer.acquireWait((performance.now() - started) / 1000);
    }
  }

  private startOpen(tenantId: string, deadline: number): Opening {
    const opening: Opening = { joiners: 1, promise: undefined as unknown as Promise<Entry> };
    opening.promise = this.open(tenantId, opening, deadline).finally(() => {
      this.openings.delete(tenantId);
    });
    this.openings.set(tenantId, opening);
    return opening;
  }

  private async open(tenantId: string, opening: Opening, deadline: number): Promise<Entry> {
    let location: Awaited<ReturnType<TenantLocator['locate']>>;
    try {
      location = await this.opts.locator.locate(tenantId);
    } catch (err) {
      throw this.openFailed(tenantId, err);
    }
    if (!location) throw new UnknownTenantError(tenantId);
    const driver = location.server ? this.opts.drivers.postgres : this.opts.drivers.sqlite;
    if (!driver) throw this.openFailed(tenantId, new Error('no PostgreSQL tenant driver configured'));
    const cost = driver.connectionsPerHandle;
    await this.admit(tenantId, cost, deadline);
    let handle: TenantHandle | undefined;
    try {
      handle = await driver.open(location);
      this.counts.created++;
      this.pendingHandles++;
      this.observer.created();
      if (this.opts.migrateOnOpen !== false && location.schemaVersion < this.targetVersion) {
        await this.migrate(tenantId, handle);
      }
    } catch (err) {
      const release = () => {
        this.reservedSlots--;
        this.reservedCost -= cost;
        if (handle) {
          this.pendingHandles--;
          this.openCost += cost;
          void this.closeEntry(this.newEntry(tenantId, driver, handle, 0));
        }
        this.signal.notify();
      };
      // A migration past its deadline still runs: its slot and handle are released when it stops.
      const running = (err as { running?: Promise<unknown> })?.running;
      if (running) void running.then(release, release);
      else release();
      throw this.openFailed(tenantId, err);
    }
    this.reservedSlots--;
    this.reservedCost -= cost;
    this.pendingHandles--;
    this.openCost += cost;
    const entry = this.newEntry(tenantId, driver, handle, opening.joiners);
    this.entries.set(tenantId, entry);
    return entry;
  }

  private newEntry(tenantId: string, driver: TenantDriver, handle: TenantHandle, leases: number): Entry {
    const now = Date.now();
    return {
      tenantId,
      kind: driver.kind,
      handle,
      cost: driver.connectionsPerHandle,
      leases,
      openedAt: now,
      lastUsed: now,
      lastMarked: 0,
      retired: false,
    };
  }

  // A tenant behind the current schema is migrated on first open, within a deadline.
  private async migrate(tenantId: string, handle: TenantHandle): Promise<void> {
    const ms = this.opts.migrationDeadlineMs ?? 30_000;
    const run = migrateTenantDb(handle.db, this.migrations);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`migration on open exceeded ${ms} ms`), { running: run })),
        ms,
      );
    });
    try {
      const version = await Promise.race([run, timeout]);
      await this.opts.locator.recordSchemaVersion(tenantId, version);
    } finally {
      clearTimeout(timer);
    }
  }

  private openFailed(tenantId: string, err: unknown): Error {
    if (err instanceof UnknownTenantError || err instanceof TenantUnavailableError) return err;
    this.counts.openErrors++;
    this.observer.openError();
    this.opts.logger.error(
      { tenantId, err: { message: (err as Error)?.message, code: (err as { code?: string })?.code } },
      'tenant database open failed',
    );
    return new TenantUnavailableError(tenantId, 'open', 5, err);
  }

  /** Reserves a cache slot and `cost` budget, evicting idle handles or waiting until the deadline. */
  private async admit(tenantId: string, cost: number, deadline: number): Promise<void> {
    while (!this.tryAdmit(cost)) {
      await this.waitForChange(tenantId, deadline);
    }
  }

  private tryAdmit(cost: number): boolean {
    const max = this.opts.cacheMax;
    while (
      this.entries.size + this.pendingHandles + this.reservedSlots >= max &&
      this.evictOne(() => true)
    ) {}
    if (this.entries.size + this.pendingHandles + this.reservedSlots >= max) return false;
    if (cost > 0) {
      const budget = this.opts.connectionBudget;
      while (this.openCost + this.reservedCost + cost > budget && this.evictOne((e) => e.cost > 0)) {}
      // Connections of closing pools still count: a pool is gone only when its close finished.
      if (this.openCost + this.closingCost + this.reservedCost + cost > budget) return false;
    }
    this.reservedSlots++;
    this.reservedCost += cost;
    return true;
  }

  private async waitForChange(tenantId: string, deadline: number): Promise<void> {
    const remaining = deadline - Date.now();
    if (this.shuttingDown) throw new TenantUnavailableError(tenantId, 'closed');
    if (remaining <= 0) throw new TenantUnavailableError(tenantId, 'budget', 1);
    this.waiting++;
    try {
      await this.signal.wait(remaining);
    } finally {
      this.waiting--;
    }
  }

  /** Evicts the least recently used unleased handle matching `pick`; false when there is none. */
  private evictOne(pick: (e: Entry) => boolean): boolean {
    for (const entry of this.entries.values()) {
      if (entry.leases > 0 || !pick(entry)) continue;
      this.counts.evicted++;
      this.observer.evicted();
      void this.removeAndClose(entry);
      return true;
    }
    return false;
  }

  private lease(entry: Entry): TenantLease {
    let released = false;
    const now = Date.now();
    entry.lastUsed = now;
    if (now - entry.lastMarked > MARK_ACTIVE_EVERY_MS) {
      entry.lastMarked = now;
      this.opts.locator
        .markActive(entry.tenantId, new Date(now).toISOString())
        .catch((err) => this.opts.logger.debug({ err }, 'could not record tenant activity'));
    }
    return {
      tenantId: entry.tenantId,
      db: entry.handle.db,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        entry.lastUsed = Date.now();
        if (entry.leases === 0) {
          if (this.detached.delete(entry)) void this.closeEntry(entry);
          this.signal.notify();
        }
      },
    };
  }

  /** Removes from the map first (no new leases), then closes with a deadline. */
  private removeAndClose(entry: Entry): Promise<void> {
    if (this.entries.get(entry.tenantId) === entry) this.entries.delete(entry.tenantId);
    return this.closeEntry(entry);
  }

  // Resolves when the close settled or its deadline passed, whichever is first; never rejects.
  private closeEntry(entry: Entry): Promise<void> {
    this.openCost -= entry.cost;
    this.closingCost += entry.cost;
    this.closingCount++;
    return new Promise<void>((resolve) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        this.closingCount--;
        this.counts.closeTimeouts++;
        this.observer.closeTimeout();
        this.opts.logger.warn({ tenantId: entry.tenantId }, 'tenant database close timed out');
        this.signal.notify();
        resolve();
      }, this.opts.closeTimeoutMs);
      Promise.resolve()
        .then(() => entry.handle.close())
        .then(
          () => {
            // A close that finishes late still counts as closed.
            this.counts.closed++;
            this.observer.closed();
          },
          (err) => {
            this.counts.closeErrors++;
            this.opts.logger.warn(
              { tenantId: entry.tenantId, err: { message: (err as Error)?.message } },
              'tenant database close failed',
            );
          },
        )
        .finally(() => {
          clearTimeout(timer);
          if (!timedOut) this.closingCount--;
          this.closingCost -= entry.cost;
          this.signal.notify();
          resolve();
        });
    });
  }

  /** Closes handles unused for TENANT_IDLE_TIMEOUT_MS, in parallel; returns how many. */
  async sweepIdle(now = Date.now()): Promise<number> {
    const victims = [...this.entries.values()].filter(
      (e) => e.leases === 0 && now - e.lastUsed >= this.opts.idleTimeoutMs,
    );
    this.counts.idleClosed += victims.length;
    await Promise.allSettled(victims.map((e) => this.removeAndClose(e)));
    return victims.length;
  }

  /** Closes one tenant's handle (before its database is dropped), waiting for its leases. */
  async retire(tenantId: string): Promise<void> {
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    entry.retired = true;
    const deadline = Date.now() + this.opts.closeTimeoutMs;
    while (entry.leases > 0) {
      if (Date.now() >= deadline) throw new TenantUnavailableError(tenantId, 'budget', 1);
      await this.signal.wait(deadline - Date.now());
    }
    await this.removeAndClose(entry);
  }

  /**
   * Forgets the tenant's handle, so the next acquire opens the database the catalog names now
   * (a move switched it); the old handle closes once its leases are released. An open in flight
   * may have read the old location: its handle is forgotten too when it lands.
   */
  evict(tenantId: string): void {
    void this.openings.get(tenantId)?.promise.then(
      () => this.evict(tenantId),
      () => undefined,
    );
    const entry = this.entries.get(tenantId);
    if (!entry || entry.retired) return;
    this.entries.delete(tenantId);
    this.counts.evicted++;
    this.observer.evicted();
    if (entry.leases === 0) void this.closeEntry(entry);
    else this.detached.add(entry);
  }

  /** The schema version this manager migrates tenants to. */
  get schemaVersion(): number {
    return this.targetVersion;
  }

  /** Creates a tenant database from the current template (see createTenantDatabase). */
  async createDatabase(target: TenantTarget): Promise<{ schemaVersion: number }> {
    if (!isTenantId(target.tenantId)) throw new InvalidTenantIdError();
    await this.driverFor(target).create(target);
    // Best effort: the row may not exist yet; the caller records the version too.
    await this.opts.locator.recordSchemaVersion(target.tenantId, this.targetVersion).catch(() => undefined);
    return { schemaVersion: this.targetVersion };
  }

  /** Spare databases on a tenant server: kept ready while it takes tenants, dropped otherwise. */
  async keepSpares(serverUrl: string, takesTenants: boolean): Promise<void> {
    await this.driverFor({ serverUrl }).keepSpares?.(serverUrl, takesTenants);
  }

  /** Closes the tenant's handle (after its leases), then drops its database and verifies it is gone. */
  async dropDatabase(target: TenantTarget): Promise<void> {
    if (!isTenantId(target.tenantId)) throw new InvalidTenantIdError();
    await this.retire(target.tenantId);
    await this.driverFor(target).drop(target);
  }

  /** Opens the most recently active tenants; failures are logged, never thrown. */
  async prewarm(count: number): Promise<number> {
    const ids = await this.opts.locator.recentlyActive(Math.min(count, this.opts.cacheMax));
    let opened = 0;
    for (const id of ids) {
      try {
        (await this.acquire(id)).release();
        opened++;
      } catch (err) {
        this.opts.logger.warn({ tenantId: id, err: { message: (err as Error).message } }, 'pre-warm failed');
      }
    }
    return opened;
  }

  /** Stops accepting, waits for leases (bounded), then closes every handle in parallel. */
  close(): Promise<void> {
    this.shuttingDown ??= this.shutdown();
    return this.shuttingDown;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.signal.notify();
    await Promise.allSettled([...this.openings.values()].map((o) => o.promise));
    const deadline = Date.now() + (this.opts.drainTimeoutMs ?? this.opts.closeTimeoutMs);
    while ([...this.entries.values()].some((e) => e.leases > 0) && Date.now() < deadline) {
      await this.signal.wait(deadline - Date.now());
    }
    const all = [...this.entries.values(), ...this.detached];
    this.detached.clear();
    if (all.some((e) => e.leases > 0))
      this.opts.logger.warn('closing tenant databases that are still leased');
    this.entries.clear();
    await Promise.allSettled(all.map((e) => this.closeEntry(e)));
    const { sqlite, postgres } = this.opts.drivers;
    await Promise.allSettled([sqlite.close?.(), postgres?.close?.()]);
  }

  getStats(): TenantDbStats {
    const c = this.counts;
    const open = this.entries.size + this.detached.size + this.pendingHandles;
    let leased = 0;
    for (const e of this.entries.values()) if (e.leases > 0) leased++;
    return {
      ...c,
      open,
      closing: this.closingCount,
      leased,
      waiters: this.waiting,
      potentialLeaks: c.created - c.closed - open - this.closingCount,
      connections: this.openCost + this.closingCost,
      connectionBudget: this.opts.connectionBudget,
    };
  }

  getStatus(): TenantDbStatus[] {
    return [...this.entries.values()].map((e) => ({
      tenantId: e.tenantId,
      kind: e.kind,
      openedAt: new Date(e.openedAt).toISOString(),
      lastUsedAt: new Date(e.lastUsed).toISOString(),
      leases: e.leases,
      connections: e.cost,
    }));
  }
}
