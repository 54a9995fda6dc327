const HOUR_MS = 3_600_000;

/** A counter shared by every instance (auth's FailureCounters: Redis when usable, else the catalog). */
export interface SharedCounters {
  hit(
    scope: string,
    subject: string,
    mode: 'fixed',
    windowMs: number,
    now: number,
  ): Promise<{ count: number; expiresAtMs: number }>;
}

/** Registrations per client IP per hour, counted where every instance sees them. */
export class RegistrationRateLimit {
  constructor(
    private readonly counters: SharedCounters,
    private readonly perHour: number,
  ) {}

  /** Counts one attempt; returns seconds to wait when over the limit, else null. 0 disables it. */
  async hit(ip: string, now = Date.now()): Promise<number | null> {
    if (this.perHour === 0) return null;
    const state = await this.counters.hit('registration-ip', ip, 'fixed', HOUR_MS, now);
    if (state.count <= this.perHour) return null;
    return Math.max(1, Math.ceil((state.expiresAtMs - now) / 1000));
  }
}
