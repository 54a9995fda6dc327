import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/config.js';
import { ROOT } from '../helpers/process.js';
import { startRedisChild } from '../helpers/redis-server.js';
import { countBy, EFFECT_JOB } from '../integration/jobs/effect-job.js';
import { jobHarness } from '../integration/jobs/harness.js';
import { uniquePrefix, waitFor } from '../integration/redis/support.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a worker SIGKILLed mid-job', () => {
  it('has its job redelivered after the stall interval and finished once, by another worker', async () => {
    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const data = tempDataDir();
    cleanups.push(() => data.cleanup());
    const effectsFile = path.join(data.dir, 'effects.db');
    const env = { REDIS_KEY_PREFIX: uniquePrefix('killed'), JOBS_STALLED_INTERVAL_MS: '1000' };

    // The doomed worker: a child process whose handler runs slowly.
    const script = path.join(data.dir, 'doomed-worker.mts');
    fs.writeFileSync(
      script,
      `import { jobHarness } from ${JSON.stringify(path.join(ROOT, 'test/integration/jobs/harness.ts'))};
const h = await jobHarness({ redisUrl: ${JSON.stringify(server.url)}, env: ${JSON.stringify(env)},
  effectsFile: ${JSON.stringify(effectsFile)}, sleepMs: 60_000 });
while (!h.queue.worker()?.isReady()) await new Promise((r) => setTimeout(r, 20));
console.log('worker ready');
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      // Its own temporary directory lands in ours: killed, it never removes it.
      env: { ...process.env, TMPDIR: data.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await waitFor('child worker ready', () => out.includes('worker ready'), 20_000).catch((err) => {
      throw new Error(`${err.message}\nchild output:\n${out}`);
    });

    const producer = await jobHarness({ redisUrl: server.url, env, effectsFile, workers: false });
    cleanups.push(() => producer.close());
    await waitFor('producer up', () => producer.redis.state() === 'up');
    // The producer's own BullMQ connection may be ready a moment after the request-path client
    // (until then enqueue falls back in-process, by design): wait for the queue itself.
    await waitFor('producer queue ready', async () => (await producer.queue.depth()).bullmq !== undefined);
    expect(await producer.queue.enqueue(EFFECT_JOB, { key: 'reg-1', tenantId: 't' })).toMatchObject({
      backend: 'bullmq',
    });
    await waitFor(
      'child started the job',
      async () => (await countBy(producer.effects, 'runs')).get('reg-1') === 1,
    );
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const rescuer = await jobHarness({ redisUrl: server.url, env, effectsFile, sleepMs: 10 });
    cleanups.push(() => rescuer.close());
    await waitFor(
      'redelivered and finished',
      async () => (await countBy(rescuer.effects, 'effects')).get('reg-1') === 1,
      15_000,
    );
    const runs = await rescuer.effects.selectFrom('runs').selectAll().where('key', '=', 'reg-1').execute();
    expect(runs.map((r) => r.pid)).toEqual([child.pid, process.pid]);
    expect(runs[1]!.attempt).toBeGreaterThan(1);
    expect((await countBy(rescuer.effects, 'effects')).get('reg-1')).toBe(1);
  });
});
