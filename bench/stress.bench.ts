import type { Api } from '../test/helpers/http-api.js';
import { type Bench, percentile, round } from './lib/bench.js';
import { BENCH_PASSWORD, registrationBody, startBenchServer } from './lib/server-process.js';

const CHURCHES = 50;
const CONCURRENCY = 16;

interface Church {
  slug: string;
  email: string;
  token: string;
  people: string[];
  eventId: string;
  fundId: string;
  batchId: string;
}

type Kind =
  | 'person-create'
  | 'person-update'
  | 'people-list'
  | 'person-read'
  | 'attendance'
  | 'donation'
  | 'login-logout';
// Weights out of 100; a login-logout is two operations (a login, then that session's logout).
const MIX: Array<[Kind, number]> = [
  ['person-create', 15],
  ['person-update', 10],
  ['people-list', 20],
  ['person-read', 15],
  ['attendance', 15],
  ['donation', 10],
  ['login-logout', 15],
];

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
function pickKind(): Kind {
  let r = Math.random() * 100;
  for (const [k, w] of MIX) {
    r -= w;
    if (r < 0) return k;
  }
  return 'people-list';
}

async function setUpChurch(api: Api, tag: string, n: number): Promise<Church> {
  const body = registrationBody(tag, n);
  const must = async (method: string, path: string, b: unknown, token?: string) => {
    const res = await api(method, path, b, token);
    if (res.status >= 300)
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body?.data;
  };
  await must('POST', '/api/registrations?wait=true', body);
  const login = { church: body.church.slug, email: body.admin.email, password: BENCH_PASSWORD };
  const { accessToken: token } = await must('POST', '/api/auth/login', login);
  const person = await must('POST', '/api/people', { firstName: 'First', lastName: 'Member' }, token);
  const event = await must(
    'POST',
    '/api/events',
    { name: 'Service', startsAt: '2026-04-05T15:00:00Z' },
    token,
  );
  const fund = await must('POST', '/api/funds', { name: 'General' }, token);
  const batch = await must('POST', '/api/batches', { name: 'Sunday', date: '2026-04-05' }, token);
  return {
    slug: body.church.slug,
    email: body.admin.email,
    token,
    people: [person.id],
    eventId: event.id,
    fundId: fund.id,
    batchId: batch.id,
  };
}

/** One operation; returns the number of requests it made, throws on any unexpected answer. */
async function operate(api: Api, c: Church, kind: Kind, seq: number): Promise<number> {
  const expect = async (status: number, method: string, path: string, body?: unknown, token = c.token) => {
    const res = await api(method, path, body, token);
    if (res.status !== status)
      throw new Error(`${kind}: ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body?.data;
  };
  switch (kind) {
    case 'person-create': {
      const p = await expect(201, 'POST', '/api/people', {
        firstName: `P${seq}`,
        lastName: `Stress${seq % 13}`,
      });
      c.people.push(p.id);
      return 1;
    }
    case 'person-update':
      await expect(200, 'PATCH', `/api/people/${pick(c.people)}`, { notes: `update ${seq}` });
      return 1;
    case 'people-list':
      await expect(200, 'GET', '/api/people?limit=20');
      return 1;
    case 'person-read':
      await expect(200, 'GET', `/api/people/${pick(c.people)}`);
      return 1;
    case 'attendance':
      await expect(201, 'POST', `/api/events/${c.eventId}/attendance`, { personIds: [pick(c.people)] });
      return 1;
    case 'donation':
      await expect(201, 'POST', '/api/donations', {
        batchId: c.batchId,
        fundId: c.fundId,
        amountCents: 100 + seq,
        receivedOn: '2026-04-05',
        method: 'cash',
      });
      return 1;
    case 'login-logout': {
      const s = await expect(200, 'POST', '/api/auth/login', {
        church: c.slug,
        email: c.email,
        password: BENCH_PASSWORD,
      });
      await expect(204, 'POST', '/api/auth/logout', undefined, s.accessToken);
      // The logged-out token must be refused from now on.
      await expect(401, 'GET', '/api/people?limit=1', undefined, s.accessToken);
      return 2;
    }
  }
}

const bench: Bench = {
  name: 'stress',
  title: `Stress: mixed operations (people writes and reads, attendance, donations, logins, logouts) across ${CHURCHES} SQLite churches at concurrency ${CONCURRENCY} against the real server process; zero failures, zero leaks.`,
  async run({ full, log }) {
    const target = full ? 10_000 : 2000;
    const server = await startBenchServer({ TENANT_CACHE_MAX: '100' });
    try {
      const tag = `s${Date.now().toString(36)}`;
      const churches: Church[] = [];
      for (let i = 0; i < CHURCHES; i += 5) {
        churches.push(
          ...(await Promise.all([0, 1, 2, 3, 4].map((k) => setUpChurch(server.api, tag, i + k)))),
        );
      }
      log(`${churches.length} churches registered and seeded`);
      let ops = 0;
      let seq = 0;
      const failures: string[] = [];
      const counts: Record<string, number> = {};
      const latency: number[] = [];
      const t0 = performance.now();
      const worker = async () => {
        while (ops < target) {
          const kind = pickKind();
          const n = seq++;
          ops += kind === 'login-logout' ? 2 : 1;
          const t = performance.now();
          try {
            await operate(server.api, pick(churches), kind, n);
            latency.push(performance.now() - t);
            counts[kind] = (counts[kind] ?? 0) + 1;
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (performance.now() - t0) / 1000;
      const conn = await server.connections();
      const errorLogs = server.errors().length;
      log(
        `${ops} operations in ${round(seconds)} s, ${failures.length} failures, leaks ${conn.potentialLeaks}`,
      );
      for (const f of failures.slice(0, 5)) log(`failure: ${f}`);
      return {
        metrics: {
          churches: CHURCHES,
          concurrency: CONCURRENCY,
          operations: ops,
          durationS: round(seconds),
          operationsPerS: Math.round(ops / seconds),
          p50Ms: round(percentile(latency, 50)),
          p99Ms: round(percentile(latency, 99)),
          failures: failures.length,
          serverErrorLogLines: errorLogs,
          potentialLeaks: conn.potentialLeaks,
          mix: Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        },
        goals: [
          {
            label: `${target} mixed operations`,
            target: '0 failures',
            actual: `${failures.length} failures in ${ops} operations`,
            pass: failures.length === 0 && ops >= target,
          },
          {
            label: 'potential leaks afterwards',
            target: '0',
            actual: String(conn.potentialLeaks),
            pass: conn.potentialLeaks === 0,
          },
        ],
        notes: [
          'An operation counts as failed on any answer but the expected one (201/200/204), on a network error or timeout; a login-logout counts as two operations and also checks the logged-out token is refused (401).',
          'Latency percentiles are per operation kind mixed (a login-logout includes an argon2 verification).',
          'Churches registered through POST /api/registrations?wait=true, five at a time; no Redis (revocations in the catalog), TENANT_CACHE_MAX 100.',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
export default bench;
