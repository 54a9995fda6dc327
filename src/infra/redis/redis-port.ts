import type { Redis } from 'ioredis';

export type RedisState = 'up' | 'down' | 'disabled';

/**
 * Redis as an optional accelerator. Every call fails fast (command timeout, open breaker,
 * disabled) so callers take their fallback; nothing here ever holds the only copy of data.
 */
export interface RedisPort {
  state(): RedisState;
  /** True when a command is expected to succeed now (state up and breaker not open). */
  isUsable(): boolean;
  /** Runs `op` on the request-path client; on any failure returns `fallback` quickly. */
  tryRun<T>(op: (client: Redis) => Promise<T>, fallback: T): Promise<T>;
  /** Like tryRun, but says whether the operation ran. */
  attempt<T>(op: (client: Redis) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }>;
}
