import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch, tenantServerFor } from '../helpers/session.js';

const CACHE_MAX = 3;
const STALLED_CHURCHES = 5; // more than the cache holds
const REQUEST_TIMEOUT_MS = 3000;
const ACQUIRE_TIMEOUT_MS = 2000;

interface Stalled {
  /** Everything the server wrote back. */
  received: () => string;
  /** Resolves with the ms from open to close once the server closes the socket. */
  closed: Promise<number>;
}

/** A POST that announces 100 bytes of body and sends 7, then nothing: the probe's attack. */
function stallBody(port: number, token: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    let data = '';
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        'POST /api/people HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
          'Content-Length: 100\r\n\r\n{"first',
      );
      resolve({
        received: () => data,
        closed: new Promise((done) => socket.on('close', () => done(Date.now() - opened))),
      });
    });
    socket.on('data', (d) => {
      data += d;
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

describe.each(DIALECTS)('stalled request bodies (tenants on %s)', (dialect) => {
  let stack: TestStack;
  let base: string;
  let port: number;
  let stallers: TestChurch[];
  let b: TestChurch;

  beforeAll(async () => {
    stack = await createTestStack(dialect, {
      TENANT_CACHE_MAX: String(CACHE_MAX),
      TENANT_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      TENANT_MAX_INFLIGHT: '2',
      TENANT_PREWARM: '0',
    });
    const server = await tenantServerFor(stack, dialect);
    const make = () => createTestChurch(stack, { roles: ['admin'], server });
    stallers = [];
    for (let i = 0; i < STALLED_CHURCHES; i++) stallers.push(await make());
    b = await make();
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    port = (stack.app.server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => stack.close());

  const readAndLogin = async (church: TestChurch) => {
    const started = performance.now();
    const read = await fetch(`${base}/api/people`, { headers: church.as('admin') });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ church: church.slug, email: church.users.admin.email, password: TEST_PASSWORD }),
    });
    return { statuses: [read.status, login.status], ms: performance.now() - started };
  };

  it('hold no database handle, cannot lock other churches out, and are closed by the timeout', async () => {
    const unloaded = await readAndLogin(b);
    expect(unloaded.statuses).toEqual([200, 200]);

    const stalled: Stalled[] = [];
    for (const church of stallers) stalled.push(await stallBody(port, church.users.admin.accessToken));
    // A second stalled request of the first church fits its in-flight cap (2); a third does not.
    stalled.push(await stallBody(port, stallers[0]!.users.admin.accessToken));
    await new Promise((r) => setTimeout(r, 300)); // every stalled request has passed its hooks
    const refused = await fetch(`${base}/api/people`, { headers: stallers[0]!.as('admin') });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { code: string }).code).toBe('RATE_LIMITED');

    // Church B reads and logs in as usual, long before the stalled sockets time out.
    const loaded = await readAndLogin(b);
    expect(loaded.statuses).toEqual([200, 200]);
    expect(loaded.ms).toBeLessThan(Math.max(2000, 4 * unloaded.ms)); // generous: a shared, busy machine
    expect(stack.services.deps.tenants.getStats().leased).toBe(0);

    // The stalled sockets are answered 408 (or just closed) once REQUEST_TIMEOUT_MS has passed.
    const closedAfter = await Promise.all(stalled.map((s) => s.closed));
    for (const [i, ms] of closedAfter.entries()) {
      expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
      const answer = stalled[i]!.received();
      if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    }
    // Their church's in-flight count is back to zero: it is served again.
    expect((await fetch(`${base}/api/people`, { headers: stallers[0]!.as('admin') })).status).toBe(200);
  });
});
