import type { Api, ApiResponse } from '../../helpers/http-api.js';
import { waitUntil } from '../../helpers/http-api.js';
import { pgAdmin } from '../../helpers/pg-scratch.js';
import type { FinalState } from './checker.js';
import type { History } from './history.js';
import { NEMESIS_PASSWORD, rowsOf, type WorkloadState } from './workload.js';

const FINAL = -2;

export interface FinalPhaseDeps {
  api: Api;
  h: History;
  state: WorkloadState;
  /** The catalog read directly, not through its proxy. */
  catalogUrl: string;
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * After healing: wait for readiness, probe every revoked token once more, wait for every
 * registration to settle (ready or failed; a bound, not a requirement), then log in to every
 * ready church and read all of its people. Returns the catalog's final registrations.
 */
export async function finalPhase(d: FinalPhaseDeps): Promise<FinalState> {
  const { api, h, state } = d;
  const deadline = Date.now() + d.timeoutMs;
  await waitUntil(
    'server ready after healing',
    async () => (await api('GET', '/api/health/ready')).body?.data?.status === 'ready',
    d.timeoutMs,
    200,
  ).catch((err) => d.log(String(err)));

  for (const name of state.revoked) {
    const tok = state.tokens.get(name)!;
    await h.call(
      { client: FINAL, kind: 'probe', church: tok.church, token: name, detail: '/api/me' },
      () => api('GET', '/api/me', undefined, tok.raw),
      (r) => r.status === 200,
    );
  }

  const registrations = async () =>
    (await pgAdmin('select id, slug, status from registrations order by created_at', [], d.catalogUrl))
      .rows as FinalState['registrations'];
  const settled = (rows: FinalState['registrations']) =>
    rows.every((r) => r.status === 'ready' || r.status === 'failed');
  await waitUntil(
    'registrations settled',
    async () => settled(await registrations()),
    Math.max(0, deadline - Date.now()),
    500,
  ).catch((err) => d.log(String(err)));
  const final = { registrations: await registrations() };

  const ready = new Set(final.registrations.filter((r) => r.status === 'ready').map((r) => r.slug));
  for (const church of state.churches.filter((c) => ready.has(c.slug))) {
    let token: string | undefined;
    for (let attempt = 0; attempt < 5 && !token; attempt++) {
      const { res } = await h.call(
        { client: FINAL, kind: 'final-login', church: church.slug },
        () =>
          api('POST', '/api/auth/login', {
            church: church.slug,
            email: church.email,
            password: NEMESIS_PASSWORD,
          }),
        (r) => r.status === 200,
      );
      token = res?.status === 200 ? res.body.data.accessToken : undefined;
      if (!token) await new Promise((r) => setTimeout(r, 500));
    }
    if (!token) continue;
    // Exactly-once side effect of provisioning: one admin user, however many attempts it took.
    await h.call(
      { client: FINAL, kind: 'final-users', church: church.slug },
      () => api('GET', '/api/users', undefined, token),
      (r) => r.status === 200,
      (r) => ({
        detail: `admins=${r.body.data.filter((u: { email: string }) => u.email === church.email).length}`,
      }),
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      const { op } = await h.call(
        { client: FINAL, kind: 'final-read', church: church.slug },
        () => readAll(api, token),
        (r) => r.status === 200,
        (r) => ({ rows: rowsOf(r.body.data), complete: true }),
      );
      if (op.outcome === 'ok') break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return final;
}

/** Every page of GET /api/people, as one answer (or the first page that failed). */
async function readAll(api: Api, token: string): Promise<ApiResponse> {
  const all: unknown[] = [];
  let cursor: string | null = null;
  for (;;) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await api('GET', `/api/people?limit=100${q}`, undefined, token);
    if (res.status !== 200) return res;
    all.push(...res.body.data);
    cursor = res.body.meta?.nextCursor ?? null;
    if (!cursor) return { ...res, body: { data: all } };
  }
}
