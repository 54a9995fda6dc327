import { FailureCounters } from '../../auth/failure-counters.js';
import type { AuthRedisKeys } from '../../auth/auth-redis-keys.js';
import type { RedisPort } from '../../infra/redis/redis-port.js';
import type { CatalogDb } from '../catalog-db.js';

const HOUR_MS = 3_600_000;

/**
 * Registrations per client IP per hour, counted where every instance sees them: Redis when it
 * is usable, the catalog otherwise (the auth counters, reused as plain fixed-window counters).
 */
export class RegistrationRateLimit {
  private readonly counters: FailureCounters;

  constructor(
    catalog: CatalogDb,
    redis: RedisPort | undefined,
    keys: AuthRedisKeys | undefined,
    private readonly perHour: number,
  ) {
    this.counters = new FailureCounters(catalog, redis, keys);
  }

  /** Counts one attempt; returns seconds to wait when over the limit, else null. 0 disables it. */
  async hit(ip: string, now = Date.now()): Promise<number | null> {
    if (this.perHour === 0) return null;
    const state = await this.counters.hit('registration-ip', ip, 'fixed', HOUR_MS, now);
    if (state.count <= this.perHour) return null;
    return Math.max(1, Math.ceil((state.expiresAtMs - now) / 1000));
  }
}
