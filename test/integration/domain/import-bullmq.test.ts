import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { type RedisChild, startRedisChild } from '../../helpers/redis-server.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';
import { uniquePrefix, waitFor } from '../redis/support.js';

// With Redis configured, a background import is a BullMQ job run by this process's worker; the
// imports row is its record either way (the in-process runner is covered by imports.test.ts).
describe.each(DIALECTS)('a background import on BullMQ (%s)', (dialect) => {
  let redis: RedisChild;
  let stack: TestStack;
  let church: TestChurch;
  beforeAll(async () => {
    redis = await startRedisChild();
    stack = await createTestStack(dialect, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix('imp') });
    await waitFor('redis up', () => stack.services.deps.redis.state() === 'up');
    church = await createTestChurch(stack, { roles: ['admin'] });
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.kill();
  });

  it('runs the import through the queue and reports it at /imports/{id}', async () => {
    const lines = ['First Name,Last Name,Email'];
    for (let i = 0; i < 500; i++) lines.push(`Q${i},Queue,q${i}@example.org`);
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/imports/people?background=true',
      payload: lines.join('\n'),
      headers: { 'content-type': 'text/csv', ...church.as('admin') },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json().data.id;
    let job = res.json().data;
    await waitFor(
      'the import to end',
      async () => {
        job = (
          await stack.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: church.as('admin') })
        ).json().data;
        return job.status === 'done' || job.status === 'failed';
      },
      60_000,
    );
    expect(job).toMatchObject({ status: 'done', report: { created: 500 } });
    // Run by the BullMQ worker, not by the in-process fallback.
    const runs = await stack.services.deps.metrics.getSingleMetric('steeple_jobs_total')!.get();
    expect(runs.values).toContainEqual(
      expect.objectContaining({
        labels: { kind: 'run-import', backend: 'bullmq', outcome: 'completed' },
        value: 1,
      }),
    );
  }, 90_000);
});
