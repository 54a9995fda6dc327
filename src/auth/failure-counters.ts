import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AuthRedisKeys } from './auth-redis-keys.js';
import type { RedisPort } from '../infra/redis/redis-port.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import './auth.tables.js';

export interface CounterState {
  count: number;
  lastAtMs: number;
  expiresAtMs: number;
}

/** `fixed`: the window starts at the first failure; `sliding`: every failure extends it. */
export type WindowMode = 'fixed' | 'sliding';

const HIT_SCRIPT = `
local c = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
if ARGV[3] == 'sliding' or c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {c, redis.call('PTTL', KEYS[1])}`;
const GET_SCRIPT = `
local v = redis.call('HMGET', KEYS[1], 'count', 'last')
if not v[1] then return nil end
return {tonumber(v[1]), tonumber(v[2]), redis.call('PTTL', KEYS[1])}`;

/**
 * Failure counters shared by every instance: in Redis when it is usable, in the catalog
 * otherwise; never in process memory. Reads take the larger of the two so counts written during
 * an outage still count after Redis returns. Keys are hashed (no raw email or IP is stored).
 */
export class FailureCounters {
  constructor(
    private readonly catalog: CatalogDb,
    private readonly redis: RedisPort | undefined,
    private readonly keys: AuthRedisKeys | undefined,
  ) {}

  async hit(
    scope: string,
    subject: string,
    mode: WindowMode,
    windowMs: number,
    now: number,
  ): Promise<CounterState> {
    const key = counterKey(scope, subject);
    if (this.redis && this.keys) {
      const rkey = this.keys.rateLimit(scope, key, 0);
      const r = await this.redis.attempt(
        (c) => c.eval(HIT_SCRIPT, 1, rkey, String(now), String(windowMs), mode) as Promise<[number, number]>,
      );
      if (r.ok) return { count: Number(r.value[0]), lastAtMs: now, expiresAtMs: now + Number(r.value[1]) };
    }
    const row = await this.catalog
      .insertInto('auth_failure_counters')
      .values({ key, count: 1, last_at_ms: now, expires_at_ms: now + windowMs })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql`case when auth_failure_counters.expires_at_ms <= ${now} then 1 else auth_failure_counters.count + 1 end`,
          last_at_ms: now,
          expires_at_ms:
            mode === 'sliding'
              ? now + windowMs
              : sql`case when auth_failure_counters.expires_at_ms <= ${now} then ${now + windowMs} else auth_failure_counters.expires_at_ms end`,
        }),
      )
      .returning(['count', 'last_at_ms', 'expires_at_ms'])
      .executeTakeFirstOrThrow();
    return {
      count: Number(row.count),
      lastAtMs: Number(row.last_at_ms),
      expiresAtMs: Number(row.expires_at_ms),
    };
  }

  async get(scope: string, subject: string, now: number): Promise<CounterState | null> {
    const key = counterKey(scope, subject);
    const fromDb = await this.catalog
      .selectFrom('auth_failure_counters')
      .selectAll()
      .where('key', '=', key)
      .where('expires_at_ms', '>', now)
      .executeTakeFirst();
    let best: CounterState | null = fromDb
      ? {
          count: Number(fromDb.count),
          lastAtMs: Number(fromDb.last_at_ms),
          expiresAtMs: Number(fromDb.expires_at_ms),
        }
      : null;
    if (this.redis && this.keys) {
      const rkey = this.keys.rateLimit(scope, key, 0);
      const v = await this.redis.tryRun(
        (c) => c.eval(GET_SCRIPT, 1, rkey) as Promise<[number, number, number] | null>,
        null,
      );
      if (v && (!best || Number(v[0]) > best.count)) {
        best = { count: Number(v[0]), lastAtMs: Number(v[1]), expiresAtMs: now + Number(v[2]) };
      }
    }
    return best;
  }

  /** Clears the counter everywhere it may live. */
  async reset(scope: string, subject: string): Promise<void> {
    const key = counterKey(scope, subject);
    await this.catalog.deleteFrom('auth_failure_counters').where('key', '=', key).execute();
    if (this.redis && this.keys) {
      const rkey = this.keys.rateLimit(scope, key, 0);
      await this.redis.attempt((c) => c.del(rkey));
    }
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const r = await this.catalog
      .deleteFrom('auth_failure_counters')
      .where('expires_at_ms', '<=', now)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

function counterKey(scope: string, subject: string): string {
  return createHash('sha256').update(`${scope}\n${subject}`).digest('base64url');
}
