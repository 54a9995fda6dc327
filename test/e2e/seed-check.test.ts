import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/config.js';
import { apiClient } from '../helpers/http-api.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';

/**
 * The seed system's own acceptance check, against the real server process: 20 churches
 * registered in a row, each logged in to, written and read; no leaked tenant connections; and
 * memory stable (RSS after 200 more registrations within 10 % of RSS after the first 20).
 * TENANT_CACHE_MAX=50 is well below the 220 churches, so eviction runs the whole time.
 */
const OPS_TOKEN = 'seed-check-ops-token-0123456789';
const PASSWORD = 'seed check password 1';

let server: ServerProcess;
const data = tempDataDir();
let seq = 0;

beforeAll(async () => {
  server = await spawnServer(
    {
      DATA_DIR: data.dir,
      OPS_TOKEN,
      REGISTRATION_RATE_LIMIT: '0',
      TENANT_CACHE_MAX: '50',
      REDIS_URL: '',
      DATABASE_URL: '',
      TENANT_DB_SERVERS: '',
    },
    // Start-up compiles TypeScript through tsx: slow on two shared, busy cores.
    60_000,
  );
}, 90_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  data.cleanup();
});

async function api(method: string, path: string, body?: unknown, token?: string) {
  return apiClient(server.url, { timeoutMs: 60_000 })(method, path, body, token);
}

/** A failed call's body and the server's last error lines, where its cause usually is. */
function why(res: { status: number; body: unknown }): string {
  const errors = server
    .output()
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l));
  return `${JSON.stringify(res.body)}\n${errors.slice(-3).join('\n')}`;
}

/** Registers one church and waits for it to be ready; returns its slug and admin email. */
async function register(): Promise<{ slug: string; email: string }> {
  const n = seq++;
  const slug = `seed-${n}-${process.pid}`;
  const email = `admin${n}@seed.example`;
  const res = await api('POST', '/api/registrations?wait=true', {
    church: { name: `Seed Church ${n}`, slug, timezone: 'America/Chicago', currency: 'USD' },
    admin: { name: `Admin ${n}`, email, password: PASSWORD },
  });
  expect(res.status, why(res)).toBe(201);
  expect(res.body.data).toMatchObject({ status: 'ready', church: { slug } });
  return { slug, email };
}

/** VmRSS of the server process in KiB. */
function rssKb(): number {
  const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)![1]);
}

/** RSS after the process has had a moment with nothing to do (timers, lazy frees). */
async function settledRssKb(): Promise<number> {
  await new Promise((r) => setTimeout(r, 1500));
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(rssKb());
    await new Promise((r) => setTimeout(r, 200));
  }
  return Math.min(...samples);
}

describe('seed check (real server process, SQLite)', () => {
  it('20 churches registered, logged in, written and read; no leaked connections; memory stable', async () => {
    const churches: Array<{ slug: string; email: string; token?: string; personId?: string }> = [];
    for (let i = 0; i < 20; i++) churches.push(await register());

    for (const c of churches) {
      const login = await api('POST', '/api/auth/login', {
        church: c.slug,
        email: c.email,
        password: PASSWORD,
      });
      expect(login.status, why(login)).toBe(200);
      c.token = login.body.data.accessToken;
      const created = await api('POST', '/api/people', { firstName: 'Ana', lastName: c.slug }, c.token);
      expect(created.status, why(created)).toBe(201);
      c.personId = created.body.data.id;
    }
    // Read back after every church has written: each sees exactly its own row.
    for (const c of churches) {
      const list = await api('GET', '/api/people', undefined, c.token);
      expect(list.status).toBe(200);
      expect(list.body.data.map((p: { id: string; lastName: string }) => [p.id, p.lastName])).toEqual([
        [c.personId, c.slug],
      ]);
      expect((await api('GET', '/api/church', undefined, c.token)).body.data.slug).toBe(c.slug);
    }

    const health = await api('GET', '/api/health/connections', undefined, OPS_TOKEN);
    expect(health.status).toBe(200);
    expect(health.body.data.connections.potentialLeaks).toBe(0);
    expect(health.body.data.connections.leased).toBe(0);

    // Memory: the first 20 were the warm-up; measure, then 200 more in rounds of 50 and compare.
    const baseline = await settledRssKb();
    const rounds: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++) await register();
      rounds.push(await settledRssKb());
    }
    const after = await api('GET', '/api/health/connections', undefined, OPS_TOKEN);
    const conns = after.body.data.connections;
    expect(conns.potentialLeaks).toBe(0);
    expect(conns.currentlyOpen).toBeLessThanOrEqual(50);
    expect(conns.totalEvicted).toBeGreaterThan(0);
    const last = rounds.at(-1)!;
    const summary = `RSS KiB: after 20 = ${baseline}, after each 50 more = ${rounds.join(', ')}`;
    console.info(summary);
    expect(last, summary).toBeLessThanOrEqual(baseline * 1.1);
    expect(last, summary).toBeGreaterThanOrEqual(baseline * 0.9);
  }, 120_000);
});
