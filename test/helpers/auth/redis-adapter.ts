import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { AuthRedisKeys } from '../../../src/auth/auth-redis-keys.js';
import type { RedisPort } from '../../../src/infra/redis/redis-port.js';

/**
 * A minimal RedisPort over a real ioredis client for auth tests (no breaker): usable while the
 * connection is ready, commands fail fast otherwise.
 */
export function testRedisPort(url: string): {
  port: RedisPort;
  keys: AuthRedisKeys;
  client: Redis;
  close(): Promise<void>;
} {
  const client = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    retryStrategy: () => 100,
  });
  client.on('error', () => {});
  const port: RedisPort = {
    state: () => (client.status === 'ready' ? 'up' : 'down'),
    isUsable: () => client.status === 'ready',
    tryRun: async (op, fallback) => {
      if (client.status !== 'ready') return fallback;
      try {
        return await op(client);
      } catch {
        return fallback;
      }
    },
    attempt: async (op) => {
      if (client.status !== 'ready') return { ok: false };
      try {
        return { ok: true, value: await op(client) };
      } catch {
        return { ok: false };
      }
    },
  };
  return {
    port,
    keys: testKeys(`steeple-test-${randomBytes(4).toString('hex')}`),
    client,
    close: async () => {
      client.disconnect();
    },
  };
}

/** The same key layout as src/infra/redis/keys.ts, under a per-test prefix. */
function testKeys(prefix: string): AuthRedisKeys {
  const k = (...parts: Array<string | number>) => [prefix, ...parts].join(':');
  return {
    rateLimit: (scope, subject, windowStart) => k('rl', scope, subject, windowStart),
  };
}
