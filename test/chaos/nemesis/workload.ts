import type { Api } from '../../helpers/http-api.js';
import type { History } from './history.js';
import type { Random } from './random.js';

export const NEMESIS_PASSWORD = 'nemesis password 0123';

export interface Church {
  slug: string;
  email: string;
  regId?: string;
  ready: boolean;
}

/** What all clients share: churches, live and revoked tokens (raw tokens never enter the history). */
export interface WorkloadState {
  runId: string;
  churches: Church[];
  tokens: Map<string, { church: string; raw: string }>;
  revoked: string[];
  registrations: number;
  maxRegistrations: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One client: registers churches (bounded), logs in, writes and reads people, logs out and keeps
 * probing its revoked tokens, until `until` (history time). Every call goes into the history.
 */
export async function runClient(
  client: number,
  api: Api,
  h: History,
  s: WorkloadState,
  rnd: Random,
  until: number,
) {
  const own: Church[] = [];
  let live: { name: string; church: Church } | undefined;
  let seq = 0;
  let troubled = false;
  // Every call of this client goes through here, so it can back off while the server refuses.
  const call: History['call'] = async (...args) => {
    const r = await h.call(...args);
    troubled = r.op.outcome === 'unknown' || r.op.status === 503;
    return r;
  };
  while (h.now() < until) {
    const pending = own.find((c) => !c.ready && c.regId);
    if ((own.length === 0 || rnd.chance(0.08)) && s.registrations < s.maxRegistrations) {
      own.push(await register(client, api, call, s, own.length));
    } else if (pending && rnd.chance(0.3)) {
      const { res } = await call(
        { client, kind: 'reg-status', church: pending.slug, regId: pending.regId },
        () => api('GET', `/api/registrations/${pending.regId}`),
        (r) => r.status === 200,
        (r) => ({ detail: r.body.data.status }),
      );
      if (res?.body?.data?.status === 'ready') pending.ready = true;
    } else if (s.revoked.length && rnd.chance(0.15)) {
      const name = rnd.pick(s.revoked);
      const tok = s.tokens.get(name)!;
      const path = rnd.chance(0.5) ? '/api/me' : '/api/people?limit=5';
      await call(
        { client, kind: 'probe', church: tok.church, token: name, detail: path },
        () => api('GET', path, undefined, tok.raw),
        (r) => r.status === 200,
      );
    } else if (!live) {
      // Any client's ready church will do: sessions spread over every church there is.
      const ready = s.churches.filter((c) => c.ready);
      if (!ready.length) {
        await sleep(100);
        continue;
      }
      const church = rnd.pick(ready);
      const name = `${church.slug}#${client}.${seq++}`;
      const { res } = await call(
        { client, kind: 'login', church: church.slug, token: name },
        () =>
          api('POST', '/api/auth/login', {
            church: church.slug,
            email: church.email,
            password: NEMESIS_PASSWORD,
          }),
        (r) => r.status === 200,
      );
      if (res?.status === 200) {
        s.tokens.set(name, { church: church.slug, raw: res.body.data.accessToken });
        live = { name, church };
      }
    } else {
      const raw = s.tokens.get(live.name)!.raw;
      const c = live.church.slug;
      const roll = rnd.next();
      if (roll < 0.55) {
        const { op } = await call(
          { client, kind: 'write', church: c, token: live.name },
          () => api('POST', '/api/people', { firstName: `p${client}-${seq++}`, lastName: c }, raw),
          (r) => r.status === 201,
          (r) => ({ personId: r.body.data.id }),
        );
        if (op.status === 401) live = undefined;
      } else if (roll < 0.85) {
        const { op } = await call(
          { client, kind: 'read', church: c, token: live.name },
          () => api('GET', '/api/people?limit=50', undefined, raw),
          (r) => r.status === 200,
          (r) => ({ rows: rowsOf(r.body.data) }),
        );
        if (op.status === 401) live = undefined;
      } else {
        const { op } = await call(
          { client, kind: 'logout', church: c, token: live.name },
          () => api('POST', '/api/auth/logout', undefined, raw),
          (r) => r.status === 204,
        );
        // Acknowledged or not, the token is probed from now on; the checker knows which counts.
        s.revoked.push(live.name);
        if (op.outcome === 'ok' || rnd.chance(0.5)) live = undefined;
      }
    }
    await sleep(troubled ? rnd.int(100, 300) : rnd.int(5, 40));
  }
}

/** Registers one church (counted against the bound) and waits for it (`?wait=true`). */
export async function register(
  client: number,
  api: Api,
  call: History['call'],
  s: WorkloadState,
  k: number | string,
): Promise<Church> {
  s.registrations++;
  const slug = `nem-${s.runId}-${client}-${k}`;
  const church: Church = { slug, email: `admin@${slug}.example`, ready: false };
  s.churches.push(church);
  const { res } = await call(
    { client, kind: 'register', church: slug },
    () =>
      api('POST', '/api/registrations?wait=true', {
        church: { name: `Nemesis ${slug}`, slug, timezone: 'UTC', currency: 'USD' },
        admin: { name: 'Nemesis Admin', email: church.email, password: NEMESIS_PASSWORD },
      }),
    (r) => r.status === 201 || r.status === 202,
    (r) => ({ regId: r.body.data.id, detail: r.body.data.status }),
  );
  if (res?.body?.data?.id) church.regId = res.body.data.id;
  if (res?.status === 201) church.ready = true;
  return church;
}

export function rowsOf(data: unknown): Array<{ id: string; lastName: string }> {
  return Array.isArray(data)
    ? data.map((p: { id: string; lastName: string }) => ({ id: p.id, lastName: p.lastName }))
    : [];
}
