import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per process (passed in, never global), so tests can build several
 * apps without "metric already registered". Modules create their metrics on it.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'steeple_' });
  return registry;
}

export type { Registry };
