/** Counters and gauges of the tenant handle cache; feed /api/health/connections and /metrics. */
export interface TenantDbStats {
  created: number;
  closed: number;
  evicted: number;
  idleClosed: number;
  openErrors: number;
  closeErrors: number;
  closeTimeouts: number;
  /** Usable handles (cached, plus opened ones still being migrated). */
  open: number;
  /** Handles whose close is in progress and has not passed its deadline. */
  closing: number;
  /** Handles with at least one lease. */
  leased: number;
  /** Callers waiting for a cache slot or connection budget. */
  waiters: number;
  /** created - closed - open - closing: handles neither usable, closing nor closed. */
  potentialLeaks: number;
  /** PostgreSQL connections the open and closing handles may hold, and the cap. */
  connections: number;
  connectionBudget: number;
}

/** One open tenant handle, for operators. */
export interface TenantDbStatus {
  tenantId: string;
  /** The driver: `sqlite` or `postgres`. */
  kind: string;
  openedAt: string;
  lastUsedAt: string;
  leases: number;
  connections: number;
}

/** Hooks the manager calls as things happen (metrics); every method is cheap and never throws. */
export interface TenantDbObserver {
  created(): void;
  closed(): void;
  evicted(): void;
  openError(): void;
  closeTimeout(): void;
  acquireWait(seconds: number): void;
}

export const noopObserver: TenantDbObserver = {
  created() {},
  closed() {},
  evicted() {},
  openError() {},
  closeTimeout() {},
  acquireWait() {},
};
