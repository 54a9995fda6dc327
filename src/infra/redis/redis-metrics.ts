import { Counter, Gauge, type Registry } from 'prom-client';
import type { RedisState } from './redis-port.js';

/** Redis metrics on the process registry (one set per registry). */
export interface RedisMetrics {
  setState(state: RedisState): void;
  transition(to: RedisState): void;
  shortCircuit(): void;
  commandFailure(): void;
}

export function createRedisMetrics(registry: Registry): RedisMetrics {
  const up = new Gauge({
    name: 'steeple_redis_up',
    help: '1 when Redis is usable (connected, breaker closed), 0 when down or disabled',
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'steeple_redis_state_transitions_total',
    help: 'Redis state transitions, by new state',
    labelNames: ['to'],
    registers: [registry],
  });
  const shortCircuits = new Counter({
    name: 'steeple_redis_short_circuits_total',
    help: 'Request-path Redis calls answered with the fallback without touching Redis',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'steeple_redis_command_failures_total',
    help: 'Request-path Redis commands that failed (timeout, connection) and took the fallback',
    registers: [registry],
  });
  return {
    setState: (s) => up.set(s === 'up' ? 1 : 0),
    transition: (to) => transitions.inc({ to }),
    shortCircuit: () => shortCircuits.inc(),
    commandFailure: () => failures.inc(),
  };
}
