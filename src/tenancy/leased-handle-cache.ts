import type { Logger } from '../infra/logger.js';
import { ChangeSignal } from './change-signal.js';
import type { TenantDb, TenantDatabases, TenantLease } from './tenant-database.js';
import {
  noopObserver,
  type TenantDbObserver,
  type TenantDbStats,
  type TenantDbStatus,
} from './tenant-db-stats.js';
import { InvalidTenantIdError, TenantUnavailableError, UnknownTenantError } from './tenant-errors.js';
import { isTenantId } from './tenant-id.js';

/** What the cache opens for a key: a handle on a database, closed when evicted. */
export interface CachedHandle {
  readonly db: TenantDb;
  close(): Promise<void>;
}

/**
 * How to open one key's handle, in two steps: `resolve` says what it costs (connections against
 * the budget) before a slot is reserved, `open` makes it once one is. `prepare` then readies an
 * opened handle (migrations); if it throws, the handle is closed. An error carrying `running`
 * (a promise: work that outlives its deadline) keeps the slot reserved until that settles.
 */
export interface HandleSource {
  resolve(key: string): Promise<{
    kind: string;
    cost: number;
    open(): Promise<CachedHandle>;
    prepare?(handle: CachedHandle): Promise<void>;
  }>;
}

export interface LeasedHandleCacheOptions {
  source: HandleSource;
  logger: Logger;
  cacheMax: number;
  closeTimeoutMs: number;
  idleTimeoutMs: number;
  connectionBudget: number;
  acquireTimeoutMs: number;
  /** Called when a key is leased, at most once a minute per open handle (activity tracking). */
  onActive?(key: string, at: string): Promise<void>;
  observer?: TenantDbObserver;
}

interface Entry {
  tenantId: string;
  kind: string;
  handle: CachedHandle;
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

// Activity feeds pre-warming; once a minute per handle is plenty.
const MARK_ACTIVE_EVERY_MS = 60_000;

/**
 * Every open database handle of the process, keyed by tenant id: a bounded LRU of leased
 * handles, single-flight opens, a connection budget with bounded waits, idle sweeps, closes with
 * deadlines, eviction on demand and a draining shutdown. A leased handle is never closed. What a
 * handle is and how it opens is the source's business (tenant-db-manager.ts for tenants).
 */
export class LeasedHandleCache implements TenantDatabases {
  private readonly entries = new Map<string, Entry>();
  private readonly openings = new Map<string, Opening>();
  /** Handles taken out of the cache by `evict` while leased: closed when their last lease ends. */
  private readonly detached = new Set<Entry>();
  private readonly signal = new ChangeSignal();
  private readonly observer: TenantDbObserver;
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

  constructor(private readonly opts: LeasedHandleCacheOptions) {
    this.observer = opts.observer ?? noopObserver;
    const every = Math.max(1000, Math.min(opts.idleTimeoutMs, 60_000));
    this.sweepTimer = setInterval(() => {
      if (!this.shuttingDown) void this.sweepIdle();
    }, every);
    this.sweepTimer.unref();
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

  /**
   * Opens a handle for `tenantId` as `resolve` says rather than the source (a database the
   * catalog names no church for yet: a spare), unless one is open or opening. Never waits for
   * room: it evicts an idle handle or fails at once.
   */
  async warm(tenantId: string, resolve: HandleSource['resolve']): Promise<void> {
    if (!isTenantId(tenantId)) throw new InvalidTenantIdError();
    if (this.shuttingDown || this.entries.has(tenantId) || this.openings.has(tenantId)) return;
    this.unlease(await this.startOpen(tenantId, Date.now(), resolve).promise);
  }

  private startOpen(
    tenantId: string,
    deadline: number,
    resolve: HandleSource['resolve'] = (key) => this.opts.source.resolve(key),
  ): Opening {
    const opening: Opening = { joiners: 1, promise: undefined as unknown as Promise<Entry> };
    opening.promise = this.open(tenantId, opening, deadline, resolve).finally(() => {
      this.openings.delete(tenantId);
    });
    this.openings.set(tenantId, opening);
    return opening;
  }

  private async open(
    tenantId: string,
    opening: Opening,
    deadline: number,
    resolve: HandleSource['resolve'],
  ): Promise<Entry> {
    let slot: Awaited<ReturnType<HandleSource['resolve']>>;
    try {
      slot = await resolve(tenantId);
    } catch (err) {
      throw this.openFailed(tenantId, err);
    }
    const { cost, kind } = slot;
    await this.admit(tenantId, cost, deadline);
    let handle: CachedHandle | undefined;
    try {
      handle = await slot.open();
      this.counts.created++;
      this.pendingHandles++;
      this.observer.created();
      await slot.prepare?.(handle);
    } catch (err) {
      const release = () => {
        this.reservedSlots--;
        this.reservedCost -= cost;
        if (handle) {
          this.pendingHandles--;
          this.openCost += cost;
          void this.closeEntry(this.newEntry(tenantId, kind, cost, handle, 0));
        }
        this.signal.notify();
      };
      // Work past its deadline (a migration) still runs: its slot and handle are released when it stops.
      const running = (err as { running?: Promise<unknown> })?.running;
      if (running) void running.then(release, release);
      else release();
      throw this.openFailed(tenantId, err);
    }
    this.reservedSlots--;
    this.reservedCost -= cost;
    this.pendingHandles--;
    this.openCost += cost;
    const entry = this.newEntry(tenantId, kind, cost, handle, opening.joiners);
    this.entries.set(tenantId, entry);
    return entry;
  }

  private newEntry(
    tenantId: string,
    kind: string,
    cost: number,
    handle: CachedHandle,
    leases: number,
  ): Entry {
    const now = Date.now();
    return {
      tenantId,
      kind,
      handle,
      cost,
      leases,
      openedAt: now,
      lastUsed: now,
      lastMarked: 0,
      retired: false,
    };
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
    if (this.opts.onActive && now - entry.lastMarked > MARK_ACTIVE_EVERY_MS) {
      entry.lastMarked = now;
      this.opts
        .onActive(entry.tenantId, new Date(now).toISOString())
        .catch((err) => this.opts.logger.debug({ err }, 'could not record tenant activity'));
    }
    return {
      tenantId: entry.tenantId,
      db: entry.handle.db,
      release: () => {
        if (released) return;
        released = true;
        this.unlease(entry);
      },
    };
  }

  private unlease(entry: Entry): void {
    entry.leases--;
    entry.lastUsed = Date.now();
    if (entry.leases === 0) {
      if (this.detached.delete(entry)) void this.closeEntry(entry);
      this.signal.notify();
    }
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

  /**
   * Closes one tenant's handle and waits for it: no new leases, the current ones are waited for
   * (up to TENANT_CLOSE_TIMEOUT_MS, then TenantUnavailableError), then the close. Before its
   * database is dropped. A no-op when it is not open.
   */
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
   * Forgets the tenant's handle without waiting, so the next acquire opens the database the
   * catalog names now (a move switched it); the old handle closes once its leases are released.
   * An open in flight may have read the old location: its handle is forgotten too when it lands.
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

  /** Opens these tenants (the most recently active, up to the cache size); failures are logged, never thrown. */
  async prewarm(tenantIds: readonly string[]): Promise<number> {
    let opened = 0;
    for (const id of tenantIds.slice(0, this.opts.cacheMax)) {
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
    // Shutdown waits for leases as long as a close waits for its lease, then closes anyway.
    const deadline = Date.now() + this.opts.closeTimeoutMs;
    while ([...this.entries.values()].some((e) => e.leases > 0) && Date.now() < deadline) {
      await this.signal.wait(deadline - Date.now());
    }
    const all = [...this.entries.values(), ...this.detached];
    this.detached.clear();
    if (all.some((e) => e.leases > 0))
      this.opts.logger.warn('closing tenant databases that are still leased');
    this.entries.clear();
    await Promise.allSettled(all.map((e) => this.closeEntry(e)));
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
