/**
 * Every Redis key Steeple uses is built here, under one prefix (REDIS_KEY_PREFIX), so replicas of
 * one deployment share keys, two deployments (or two tests) on one Redis never collide, and a key
 * can be found by grepping this file.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** A revoked access token id, kept until the token's own expiry. */
  revokedJti(jti: string): string;
  /** Tokens of this user issued before the stored time are revoked. */
  userRevokedBefore(tenantId: string, userId: string): string;
  /** A fixed-window rate-limit counter. */
  rateLimit(scope: string, subject: string, windowStart: number): string;
  /** A cache entry owned by a module (`scope`), e.g. `tenant-status`. */
  cache(scope: string, id: string): string;
  /** Prefix handed to BullMQ; it builds `<prefix>:<queue>:...` itself. */
  queuePrefix(): string;
}

export function redisKeys(prefix: string): RedisKeys {
  const k = (...parts: Array<string | number>) => [prefix, ...parts].join(':');
  return {
    prefix,
    revokedJti: (jti) => k('revoked', 'jti', jti),
    userRevokedBefore: (tenantId, userId) => k('revoked', 'user', tenantId, userId),
    rateLimit: (scope, subject, windowStart) => k('rl', scope, subject, windowStart),
    cache: (scope, id) => k('cache', scope, id),
    queuePrefix: () => k('bull'),
  };
}
