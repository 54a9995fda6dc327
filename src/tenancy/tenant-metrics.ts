import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from '../infra/metrics.js';
import type { TenantDbObserver, TenantDbStats } from './tenant-db-stats.js';

/**
 * Prometheus metrics of the tenant manager. No tenant id is ever a label (unbounded
 * cardinality); per-tenant detail is on /api/health/connections.
 */
export function createTenantMetrics(registry: Registry): {
  observer: TenantDbObserver;
  bind(stats: () => TenantDbStats): void;
  pgDatabaseCreated(source: 'spare' | 'clone'): void;
} {
  let source: (() => TenantDbStats) | undefined;
  const gauge = (name: string, help: string, pick: (s: TenantDbStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (source) this.set(pick(source()));
      },
    });
  gauge('steeple_tenant_handles_open', 'Open tenant database handles', (s) => s.open);
  gauge('steeple_tenant_handles_leased', 'Tenant handles with at least one lease', (s) => s.leased);
  gauge('steeple_tenant_handles_closing', 'Tenant handles being closed', (s) => s.closing);
  gauge('steeple_tenant_acquire_waiters', 'Callers waiting for a tenant slot or budget', (s) => s.waiters);
  gauge('steeple_tenant_potential_leaks', 'created - closed - open - closing', (s) => s.potentialLeaks);
  gauge(
    'steeple_tenant_pg_connections',
    'PostgreSQL connections tenant pools may hold',
    (s) => s.connections,
  );
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
  const created = counter('steeple_tenant_handles_created_total', 'Tenant handles opened');
  const closed = counter('steeple_tenant_handles_closed_total', 'Tenant handles closed');
  const evicted = counter('steeple_tenant_handles_evicted_total', 'Tenant handles evicted from the LRU');
  const openErrors = counter('steeple_tenant_open_errors_total', 'Tenant database opens that failed');
  const closeTimeouts = counter('steeple_tenant_close_timeouts_total', 'Tenant closes past their deadline');
  const wait = new Histogram({
    name: 'steeple_tenant_acquire_wait_seconds',
    help: 'Time to obtain a tenant database lease',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pgCreated = new Counter({
    name: 'steeple_tenant_pg_databases_created_total',
    help: 'PostgreSQL church databases created: a spare taken at signup, or a clone of the template (many clones: raise TENANT_SPARE_DATABASES)',
    labelNames: ['source'],
    registers: [registry],
  });
  return {
    pgDatabaseCreated: (source) => pgCreated.inc({ source }),
    observer: {
      created: () => created.inc(),
      closed: () => closed.inc(),
      evicted: () => evicted.inc(),
      openError: () => openErrors.inc(),
      closeTimeout: () => closeTimeouts.inc(),
      acquireWait: (s) => wait.observe(s),
    },
    bind(stats) {
      source = stats;
    },
  };
}
