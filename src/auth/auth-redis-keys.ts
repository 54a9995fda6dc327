/** The Redis keys auth uses; `RedisService.keys` (src/infra/redis/keys.ts) provides them. */
export interface AuthRedisKeys {
  revokedJti(jti: string): string;
  userRevokedBefore(tenantId: string, userId: string): string;
  rateLimit(scope: string, subject: string, windowStart: number): string;
}
