import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from '../../infra/metrics.js';

export type MoveOutcome = 'switched' | 'rolled_back' | 'failed';

/** What the mover reports as it works; every method is cheap and never throws. */
export interface MoveObserver {
  started(): void;
  ended(outcome: MoveOutcome): void;
  copied(bytes: number): void;
  writePause(seconds: number): void;
}

export const noopMoveObserver: MoveObserver = {
  started() {},
  ended() {},
  copied() {},
  writePause() {},
};

/** Prometheus metrics of church moves run by this process (no church id is ever a label). */
export function createMoveMetrics(registry: Registry): MoveObserver {
  const inProgress = new Gauge({
    name: 'steeple_tenant_moves_in_progress',
    help: 'Church moves running in this process',
    registers: [registry],
  });
  const ended = new Counter({
    name: 'steeple_tenant_moves_total',
    help: 'Church moves that ended, by outcome (switched; rolled_back after an error; failed: the rollback failed too, a re-run finishes it)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'steeple_tenant_move_bytes_copied_total',
    help: 'Bytes of row values copied by church moves (text by length, other values 8 bytes)',
    registers: [registry],
  });
  const pause = new Histogram({
    name: 'steeple_tenant_move_write_pause_seconds',
    help: 'How long a church refused writes while its move switched databases',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  return {
    started: () => inProgress.inc(),
    ended: (outcome) => {
      inProgress.dec();
      ended.inc({ outcome });
    },
    copied: (n) => bytes.inc(n),
    writePause: (s) => pause.observe(s),
  };
}
