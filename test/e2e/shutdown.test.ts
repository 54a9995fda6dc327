import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/config.js';
import { apiClient } from '../helpers/http-api.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';

let server: ServerProcess | undefined;
const data = tempDataDir();
afterEach(async () => {
  await server?.stop('SIGKILL');
  data.cleanup();
});

describe('graceful shutdown (real process)', { timeout: 90_000 }, () => {
  it('starts on the embedded default with one line saying there is no Redis', async () => {
    server = await spawnServer({ DATA_DIR: data.dir });
    const res = await apiClient(server.url)('GET', '/api/health');
    expect(res.body).toEqual({ data: { status: 'ok' } });
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('Steeple listening'));
    expect(line).toMatch(/no Redis/);
    expect(line).toMatch(/SQLite/);
  });

  it('lets an in-flight request finish on SIGTERM, refuses new ones, and exits 0', async () => {
    server = await spawnServer({ DATA_DIR: data.dir, SHUTDOWN_TIMEOUT_MS: '10000' });
    const { port } = new URL(server.url);
    // A slow client: headers and half the body now, the rest after SIGTERM.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/nope',
          headers: { 'content-type': 'application/json', 'content-length': 11 },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write('{"a":');
      setTimeout(() => req.end('"xyz"}'), 1500);
    });
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    const res = await response;
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).code).toBe('NOT_FOUND');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/shutdown complete/);
  });
});
