import { Redis } from 'ioredis';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../helpers/fault-proxy.js';
import { startRedisChild } from '../../helpers/redis-server.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A client that never retries, so each mode's raw effect is visible. */
function rawClient(url: string) {
  const c = new Redis(url, {
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  c.on('error', () => {});
  cleanups.push(() => c.disconnect());
  return c;
}

describe('fault proxy', () => {
  it('passes, refuses, resets, blackholes and delays, switchable at run time', async () => {
    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const proxy = await startFaultProxy({ port: server.port });
    cleanups.push(() => proxy.close());

    const a = rawClient(proxy.url());
    await a.connect();
    expect(await a.ping()).toBe('PONG');
    expect(proxy.connections()).toBe(1);

    await proxy.setMode('latency', { latencyMs: 150 });
    const t0 = performance.now();
    expect(await a.ping()).toBe('PONG');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);

    await proxy.setMode('blackhole');
    const held = a.ping();
    const raced = await Promise.race([held, new Promise((r) => setTimeout(() => r('held'), 300))]);
    expect(raced).toBe('held');
    await proxy.setMode('pass');
    expect(await held).toBe('PONG');

    await proxy.setMode('reset');
    await new Promise((r) => setTimeout(r, 50));
    expect(a.status).not.toBe('ready');
    const b = rawClient(proxy.url());
    await expect(b.connect()).rejects.toThrow();

    await proxy.setMode('refuse');
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: proxy.port }, () => resolve('connected'));
      s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    await proxy.setMode('pass');
    const d = rawClient(proxy.url());
    await d.connect();
    expect(await d.ping()).toBe('PONG');
  });
});
