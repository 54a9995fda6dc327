import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../helpers/config.js';
import { ROOT } from '../../helpers/process.js';
import { startRedisChild } from '../../helpers/redis-server.js';
import { uniquePrefix, waitFor } from '../redis/support.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('npm run worker (src/worker.ts)', () => {
  it('runs workers without HTTP and exits 0 on SIGTERM', async () => {
    const server = await startRedisChild();
    cleanups.push(() => server.kill());
    const data = tempDataDir();
    cleanups.push(() => data.cleanup());
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATA_DIR: data.dir,
        REDIS_URL: server.url,
        REDIS_KEY_PREFIX: uniquePrefix('entry'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await waitFor('worker running', () => out.includes('Steeple worker running'), 20_000);
    expect(out).not.toContain('listening');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('shutdown complete');
  });

  it('refuses to start without Redis', async () => {
    const data = tempDataDir();
    cleanups.push(() => data.cleanup());
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', DATA_DIR: data.dir, REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    expect(await new Promise((r) => child.on('exit', r))).toBe(1);
    expect(err).toContain('needs REDIS_URL');
  });
});
