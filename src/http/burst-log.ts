import type { FastifyBaseLogger } from 'fastify';

const QUIET_MS = 10_000;

/**
 * Logs a recurring condition once per burst: the first occurrence of a reason is logged at once;
 * repeats are only counted until the reason has been quiet for 10 s, and the next occurrence after
 * that says how many were left out. A flood of "busy" answers thus costs one line, not one each.
 */
export class BurstLog {
  private readonly bursts = new Map<string, { lastAt: number; repeats: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  warn(log: FastifyBaseLogger, reason: string, fields: Record<string, unknown>, msg: string): void {
    const now = this.now();
    const burst = this.bursts.get(reason);
    if (burst && now - burst.lastAt < QUIET_MS) {
      burst.lastAt = now;
      burst.repeats++;
      return;
    }
    log.warn({ ...fields, reason, repeatsOfLastBurst: burst?.repeats ?? 0 }, msg);
    this.bursts.set(reason, { lastAt: now, repeats: 0 });
    // Bounded: reasons are few (codes and fixed messages), but never let the map grow unchecked.
    if (this.bursts.size > 1000) this.bursts.delete(this.bursts.keys().next().value!);
  }
}
