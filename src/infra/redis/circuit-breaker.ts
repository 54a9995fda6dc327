export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Failures within `windowMs` that open the breaker. */
  failureThreshold: number;
  windowMs: number;
  /** Time the breaker stays open before one half-open probe may pass. */
  resetMs: number;
}

/**
 * A small synchronous circuit breaker with an injectable clock. Hand-written rather than a
 * library because the request path needs a decision with no timer, no promise and no
 * allocation per call (short-circuits must cost microseconds), and tests need a fake clock.
 * Timeouts are enforced by the Redis client itself (commandTimeout), not here.
 */
export class CircuitBreaker {
  private failures: number[] = [];
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';

  constructor(
    private readonly opts: BreakerOptions,
    private readonly onChange: (state: BreakerState) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** The state now; an open breaker past its reset time reads as half-open. */
  state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.opts.resetMs) return 'half-open';
    return this.current;
  }

  /** Whether a call may go through; in half-open only one probe at a time is let through. */
  allow(): boolean {
    const s = this.state();
    if (s === 'closed') return true;
    if (s === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    if (this.current !== 'closed') {
      this.current = 'closed';
      this.probing = false;
      this.failures = [];
      this.onChange('closed');
    }
  }

  failure(): void {
    const now = this.now();
    if (this.current === 'open') {
      // A failed half-open probe re-opens for another full reset period.
      if (this.probing) {
        this.probing = false;
        this.openedAt = now;
      }
      return;
    }
    this.failures = this.failures.filter((t) => now - t < this.opts.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.opts.failureThreshold) {
      this.current = 'open';
      this.openedAt = now;
      this.failures = [];
      this.onChange('open');
    }
  }

  /** Forget failures and close (a fresh connection just proved itself with its ready check). */
  reset(): void {
    this.probing = false;
    this.failures = [];
    if (this.current !== 'closed') {
      this.current = 'closed';
      this.onChange('closed');
    }
  }
}
