import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/config.js';
import { ROOT, type ServerProcess, spawnServer } from '../helpers/process.js';

/**
 * What `npm ci && npm start` runs in production: the server compiled by `npm run build:server`
 * into dist/, started with plain node (no tsx), so a source that only works when transpiled at
 * run time (a `.ts` import, a file read beside the sources) fails here. The build is refreshed
 * first, so the test never runs a stale dist/.
 */
const data = tempDataDir();
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  data.cleanup();
});

describe('production build (dist/)', () => {
  it('compiles, serves from plain node, and runs the compiled CLI', async () => {
    const build = spawnSync('npm', ['run', 'build:server'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);

    server = await spawnServer(
      { DATA_DIR: data.dir, REDIS_URL: '', DATABASE_URL: '', TENANT_DB_SERVERS: '' },
      90_000,
      ['dist/src/main.js'],
    );
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { status: 'ok' } });
    expect(await server.stop()).toBe(0);

    // bin/steeple.js prefers dist/ when it exists; here it does. The server already migrated.
    const cli = spawnSync(process.execPath, ['bin/steeple.js', 'migrate'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: data.dir, NODE_ENV: 'test', LOG_LEVEL: 'error' },
      timeout: 60_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('up to date');
  }, 300_000);
});
