/** The Redis keys auth uses; `RedisService.keys` (src/infra/redis/keys.ts) provides them. */
export interface AuthRedisKeys {
  rateLimit(scope: string, subject: string, windowStart: number): string;
}
