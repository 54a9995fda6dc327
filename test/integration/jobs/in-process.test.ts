import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { defineJob } from '../../../src/jobs/job-definition.js';
import { QueueFullError, UnknownJobError } from '../../../src/jobs/job-queue.js';
import { countBy, EFFECT_JOB } from './effect-job.js';
import { type JobHarness, jobHarness } from './harness.js';

const harnesses: JobHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});
async function harness(...args: Parameters<typeof jobHarness>) {
  const h = await jobHarness(...args);
  harnesses.push(h);
  return h;
}

describe('in-process job backend (no Redis)', () => {
  it('runs jobs in-process, each effect once, and records outcomes', async () => {
    const h = await harness();
    expect(h.queue.backend).toBe('in-process');
    for (let i = 0; i < 10; i++) {
      expect(await h.queue.enqueue(EFFECT_JOB, { key: `k${i}`, tenantId: 't' })).toMatchObject({
        backend: 'in-process',
      });
    }
    await h.queue.inProcessIdle();
    const effects = await countBy(h.effects, 'effects');
    expect(effects.size).toBe(10);
    expect([...effects.values()].every((n) => n === 1)).toBe(true);
    expect(await h.metrics.metrics()).toMatch(
      /steeple_jobs_total\{kind="test-effect",backend="in-process",outcome="completed"\} 10/,
    );
  });

  it('bounds concurrency', async () => {
    let running = 0;
    let peak = 0;
    const slow = defineJob({
      name: 'slow',
      payload: z.object({ n: z.number() }),
      async handler() {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
      },
    });
    const h = await harness({ jobs: [slow], env: { JOBS_CONCURRENCY: '3' } });
    await Promise.all(Array.from({ length: 20 }, (_, n) => h.queue.enqueue('slow', { n })));
    await h.queue.inProcessIdle();
    expect(peak).toBe(3);
  });

  it('retries a failing job and bounds the backlog', async () => {
    const h = await harness({ failFirst: 2, env: { JOBS_MAX_PENDING: '2', JOBS_CONCURRENCY: '1' } });
    await h.queue.enqueue(EFFECT_JOB, { key: 'a', tenantId: 't' });
    await h.queue.enqueue(EFFECT_JOB, { key: 'b', tenantId: 't' });
    await h.queue.enqueue(EFFECT_JOB, { key: 'c', tenantId: 't' });
    await expect(h.queue.enqueue(EFFECT_JOB, { key: 'd', tenantId: 't' })).rejects.toBeInstanceOf(
      QueueFullError,
    );
    await h.queue.inProcessIdle();
    expect(Object.fromEntries(await countBy(h.effects, 'effects'))).toEqual({ a: 1, b: 1, c: 1 });
    expect((await countBy(h.effects, 'runs')).get('a')).toBe(3);
  });

  it('rejects unknown jobs and invalid payloads at enqueue', async () => {
    const h = await harness();
    await expect(h.queue.enqueue('nope', {})).rejects.toBeInstanceOf(UnknownJobError);
    await expect(h.queue.enqueue(EFFECT_JOB, { key: '' })).rejects.toThrow();
  });

  it('close lets the running job finish', async () => {
    const h = await harness({ sleepMs: 300 });
    await h.queue.enqueue(EFFECT_JOB, { key: 'x', tenantId: 't' });
    await new Promise((r) => setTimeout(r, 50));
    await h.queue.close(5000);
    expect((await countBy(h.effects, 'effects')).get('x')).toBe(1);
  });
});
