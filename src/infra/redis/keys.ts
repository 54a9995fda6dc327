/**
 * Every Redis key Steeple uses is built here, under one prefix (REDIS_KEY_PREFIX), so replicas of
 * one deployment share keys, two deployments (or two tests) on one Redis never collide, and a key
 * can be found by grepping this file.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** A fixed-window rate-limit counter. */
  rateLimit(scope: string, subject: string, windowStart: number): string;
  /** Prefix handed to BullMQ; it builds `<prefix>:<queue>:...` itself. */
  queuePrefix(): string;
}

export function redisKeys(prefix: string): RedisKeys {
  const k = (...parts: Array<string | number>) => [prefix, ...parts].join(':');
  return {
    prefix,
    rateLimit: (scope, subject, windowStart) => k('rl', scope, subject, windowStart),
    queuePrefix: () => k('bull'),
  };
}
