import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data with no Redis', () => {
    const c = loadConfig({});
    expect(c.catalog.dialect).toBe('sqlite');
    expect(c.catalog).toMatchObject({ file: expect.stringMatching(/data[/\\]catalog\.db$/) });
    expect(c.redis.url).toBeUndefined();
    expect(c.tenant.cacheMax).toBe(100);
    expect(c.tenant.connectionBudget).toBe(80);
    expect(c.http.port).toBe(3000);
    expect(Object.isFrozen(c.tenant)).toBe(true);
  });

  it('reads postgres catalog and tenant servers', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/cat',
      TENANT_DB_SERVERS: 'postgres://a/x, postgresql://b/y',
      ENABLE_QUEUES: 'false',
    });
    expect(c.catalog).toEqual({ dialect: 'postgres', url: 'postgres://u@h:5432/cat' });
    expect(c.tenantDbServers).toEqual(['postgres://a/x', 'postgresql://b/y']);
    expect(c.queues.enabled).toBe(false);
  });

  it('bounds every socket in time and sizes the per-church in-flight cap to a fair share', () => {
    const c = loadConfig({});
    expect(c.http).toMatchObject({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
    });
    expect(c.tenant.maxInflight).toBe(20); // a quarter of min(cache 100, budget 80)
    expect(loadConfig({ TENANT_CACHE_MAX: '8' }).tenant.maxInflight).toBe(4);
    expect(loadConfig({ TENANT_MAX_INFLIGHT: '7' }).tenant.maxInflight).toBe(7);
    // Headers can never be given longer than the whole request.
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '2000' }).http.headersTimeoutMs).toBe(2000);
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).http.port).toBe(3000);
  });

  const bad: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['TENANT_DB_SERVERS', 'postgres://ok,http://nope'],
    ['REDIS_URL', 'localhost:6379'],
    ['ENABLE_QUEUES', 'maybe'],
    ['JWT_SECRET', 'short'],
    ['OPS_TOKEN', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['TENANT_CACHE_MAX', '0'],
    ['TENANT_POOL_MAX', '1.5'],
    ['TENANT_CONNECTION_BUDGET', '-1'],
    ['TENANT_ACQUIRE_TIMEOUT_MS', 'soon'],
    ['TENANT_IDLE_TIMEOUT_MS', '5'],
    ['SHUTDOWN_TIMEOUT_MS', 'x'],
    ['NODE_ENV', 'staging'],
    ['TRUST_PROXY', 'sometimes'],
    ['REGISTRATION_RATE_LIMIT', '-5'],
    ['REGISTRATION_PENDING_GRACE_MS', '5'],
    ['REGISTRATION_LEASE_MS', 'soon'],
    ['REQUEST_TIMEOUT_MS', '10'],
    ['TENANT_MAX_INFLIGHT', '0'],
  ];
  it.each(bad)('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid ${name}:`));
  });

  it('parses TRUST_PROXY as a flag, a hop count or proxy addresses', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /^Invalid OPS_TOKEN/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), OPS_TOKEN: 'o'.repeat(16) }).env,
    ).toBe('production');
  });
});
