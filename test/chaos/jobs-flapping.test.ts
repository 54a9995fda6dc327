import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisChild } from '../helpers/redis-server.js';
import { countBy, EFFECT_JOB } from '../integration/jobs/effect-job.js';
import { jobHarness } from '../integration/jobs/harness.js';
import { sleep, waitFor } from '../integration/redis/support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const openFds = () => fs.readdirSync('/proc/self/fd').length;

describe('Redis flapping 2 s up / 2 s down for 20 s', () => {
  it('leaks no listeners or descriptors, runs no effect twice, loses no job', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    cleanups.push(async () => process.off('warning', onWarning));

    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const h = await jobHarness({ redisUrl: server.url, sleepMs: 20 });
    cleanups.push(() => h.close());
    await waitFor('up', () => h.redis.state() === 'up');
    await waitFor('worker ready', () => h.queue.worker()!.isReady());
    await sleep(500);
    const fdsBefore = openFds();

    // The durable record is written before enqueue; a reconciler re-dispatches what a lost
    // queue dropped (this redis-server keeps nothing across a kill).
    const reconcile = async () => {
      const done = await countBy(h.effects, 'effects');
      const pending = await h.effects.selectFrom('requested').select('key').execute();
      for (const { key } of pending)
        if (!done.has(key)) await h.queue.enqueue(EFFECT_JOB, { key, tenantId: 't' });
    };
    let stop = false;
    let n = 0;
    const producer = (async () => {
      while (!stop) {
        const key = `k${n++}`;
        await h.effects.insertInto('requested').values({ key, at: new Date().toISOString() }).execute();
        await h.queue.enqueue(EFFECT_JOB, { key, tenantId: 't' });
        await sleep(50);
      }
    })();
    const t0 = Date.now();
    let cycles = 0;
    while (Date.now() - t0 < 20_000) {
      await sleep(2000);
      await server.kill();
      await sleep(2000);
      await server.start();
      cycles++;
      await reconcile();
    }
    stop = true;
    await producer;
    await waitFor('up at the end', () => h.redis.state() === 'up', 10_000);
    await waitFor('worker ready at the end', () => h.queue.worker()!.isReady(), 10_000);
    await reconcile();
    await waitFor(
      'every requested job done',
      async () => (await countBy(h.effects, 'effects')).size === n,
      20_000,
    );
    await reconcile();
    await h.queue.inProcessIdle();
    await sleep(500);

    const effects = await countBy(h.effects, 'effects');
    expect(cycles).toBeGreaterThanOrEqual(4);
    expect(effects.size).toBe(n);
    expect([...effects.values()].every((count) => count === 1)).toBe(true);
    expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
    // Sockets are replaced, not accumulated (a small margin for a reconnect in flight).
    expect(openFds() - fdsBefore).toBeLessThanOrEqual(4);
    const runs = await countBy(h.effects, 'runs');
    const reruns = [...runs.values()].filter((c) => c > 1).length;
    console.info(`flapping: ${n} jobs, ${cycles} cycles, ${reruns} handler re-runs absorbed by the claim`);
  });
});
