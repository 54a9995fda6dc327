import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../helpers/fault-proxy.js';
import { type RedisChild, startRedisChild } from '../../helpers/redis-server.js';
import { sleep, waitFor } from '../redis/support.js';
import { countBy, EFFECT_JOB } from './effect-job.js';
import { type JobHarness, jobHarness } from './harness.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function redisChild(): Promise<RedisChild> {
  const c = await startRedisChild();
  cleanups.push(() => c.kill());
  return c;
}
async function harness(...args: Parameters<typeof jobHarness>): Promise<JobHarness> {
  const h = await jobHarness(...args);
  cleanups.push(() => h.close());
  await waitFor('redis up', () => h.redis.state() === 'up');
  // The producer's own connection can be ready a moment later (enqueue falls back until then).
  await waitFor('producer queue ready', async () => (await h.queue.depth()).bullmq !== undefined);
  return h;
}
const effectCount = async (h: JobHarness) => (await countBy(h.effects, 'effects')).size;
const job = (key: string) => ({ key, tenantId: 'tenant-1' });

describe('BullMQ job backend', () => {
  it('runs enqueued jobs on the worker, deduplicating by job id', async () => {
    const server = await redisChild();
    const h = await harness({ redisUrl: server.url });
    expect(h.queue.backend).toBe('bullmq');
    expect(await h.queue.enqueue(EFFECT_JOB, job('a'), { jobId: 'reg-a' })).toEqual({
      id: 'reg-a',
      backend: 'bullmq',
    });
    await h.queue.enqueue(EFFECT_JOB, job('a'), { jobId: 'reg-a' });
    await h.queue.enqueue(EFFECT_JOB, job('b'));
    await waitFor('both effects', async () => (await effectCount(h)) === 2);
    expect(Object.fromEntries(await countBy(h.effects, 'runs'))).toEqual({ a: 1, b: 1 });
    expect(await h.metrics.metrics()).toMatch(
      /steeple_jobs_total\{kind="test-effect",backend="bullmq",outcome="completed"\} 2/,
    );
    expect(await h.metrics.metrics()).toMatch(
      /steeple_jobs_queue_depth\{backend="bullmq",state="waiting"\} 0/,
    );
  });

  it('while Redis is down enqueue fails fast to in-process; when it returns the queue is used again', async () => {
    const server = await redisChild();
    const h = await harness({ redisUrl: server.url });
    await server.kill();
    await waitFor('down', () => h.redis.state() === 'down', 2000);
    const t0 = performance.now();
    expect(await h.queue.enqueue(EFFECT_JOB, job('during'))).toMatchObject({ backend: 'in-process' });
    expect(performance.now() - t0).toBeLessThan(100);
    await waitFor('in-process effect', async () => (await effectCount(h)) === 1);

    await server.start();
    const back = Date.now();
    await waitFor('redis up', () => h.redis.state() === 'up', 10_000);
    // The producer's own connection may reconnect a moment after the request-path client: jobs
    // keep going in-process until it does, and BullMQ must be used again within 10 s of Redis.
    let after = 0;
    await waitFor(
      'queue used again',
      async () => (await h.queue.enqueue(EFFECT_JOB, job(`after-${after++}`))).backend === 'bullmq',
      10_000 - (Date.now() - back),
    );
    await waitFor('every effect after recovery', async () => (await effectCount(h)) === 1 + after, 10_000);
    expect(Date.now() - back).toBeLessThan(10_000);
  });

  it('a blackholed Redis does not hold enqueue longer than the add timeout', async () => {
    const server = await redisChild();
    const proxy: FaultProxy = await startFaultProxy({ port: server.port });
    cleanups.push(() => proxy.close());
    const h = await harness({ redisUrl: proxy.url(), env: { REDIS_COMMAND_TIMEOUT_MS: '200' } });
    await h.queue.enqueue(EFFECT_JOB, job('warm'));
    await waitFor('warm effect', async () => (await effectCount(h)) === 1);
    await proxy.setMode('blackhole');
    for (const key of ['b1', 'b2', 'b3']) {
      const t0 = performance.now();
      expect(await h.queue.enqueue(EFFECT_JOB, job(key))).toMatchObject({ backend: 'in-process' });
      expect(performance.now() - t0).toBeLessThan(1000);
    }
    await waitFor('in-process effects', async () => (await effectCount(h)) === 4);
    await proxy.setMode('pass');
  });

  it('a live worker resumes consuming after Redis restarts, with no restart of its own', async () => {
    // This redis-server keeps nothing across a restart (its queue is lost: the reconciler's case,
    // see the chaos tests); what is checked here is that the same worker consumes again.
    const server = await redisChild();
    const h = await harness({ redisUrl: server.url, sleepMs: 400, env: { JOBS_CONCURRENCY: '1' } });
    for (const key of ['q1', 'q2', 'q3']) await h.queue.enqueue(EFFECT_JOB, job(key));
    await waitFor('first started', async () => (await countBy(h.effects, 'runs')).size >= 1);
    await server.kill('SIGTERM'); // a clean stop; nothing saved, so this checks the worker resumes
    await sleep(1500);
    await server.start();
    await waitFor('redis up', () => h.redis.state() === 'up', 10_000);
    await h.queue.enqueue(EFFECT_JOB, job('after'));
    await waitFor(
      'job after restart',
      async () => (await countBy(h.effects, 'effects')).has('after'),
      30_000,
    );
  });

  it('the watchdog recreates a worker that is not ready again after Redis is', async () => {
    const server = await redisChild();
    const h = await harness({ redisUrl: server.url });
    const worker = h.queue.worker()!;
    await waitFor('worker ready', () => worker.isReady());
    // Stop the worker behind the supervisor's back, as a run loop that died would.
    const inner = (worker as unknown as { worker: { close(): Promise<void> } }).worker;
    await inner.close();
    await waitFor('worker seen as not ready', () => !worker.isReady(), 2000);
    await waitFor('watchdog recreated it', () => worker.recreated === 1, 5000);
    await h.queue.enqueue(EFFECT_JOB, job('w'));
    await waitFor('job runs on the new worker', async () => (await effectCount(h)) === 1, 10_000);
    expect(h.lines.some((l) => String(l.msg).includes('recreating'))).toBe(true);
  });
});
