import type { Logger } from '../logger.js';

/**
 * The quiet-logs rule for Redis: one line per state transition, and while down at most one
 * reminder per `intervalMs` (default a minute), however many reconnect attempts fail meanwhile.
 * Errors from every Redis connection (request path, BullMQ) go through one instance.
 */
export class RedisStatusLog {
  private lastLineAt = 0;
  private downSince: number | undefined;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  up(): void {
    const downForMs = this.downSince === undefined ? undefined : this.now() - this.downSince;
    this.downSince = undefined;
    this.line('info', { redis: 'up', downForMs }, 'Redis is up; using it again');
  }

  down(reason: string): void {
    this.downSince = this.now();
    this.line(
      'warn',
      { redis: 'down', reason },
      'Redis is down; features use their fallbacks until it returns',
    );
  }

  /** An error while down (reconnect refused, timeouts, BullMQ complaints): rate-limited. */
  error(source: string, err: unknown): void {
    const now = this.now();
    if (now - this.lastLineAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const downForMs = this.downSince === undefined ? undefined : now - this.downSince;
    this.line(
      'warn',
      { redis: 'down', source, err: errorMessage(err), downForMs, suppressed: this.suppressed },
      'Redis still unavailable',
    );
  }

  private line(level: 'info' | 'warn', obj: object, msg: string): void {
    this.lastLineAt = this.now();
    this.suppressed = 0;
    this.logger[level](obj, msg);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
