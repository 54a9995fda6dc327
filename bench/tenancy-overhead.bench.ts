import fs from 'node:fs';
import autocannon from 'autocannon';
import { type Bench, round } from './lib/bench.js';
import { registerAndLogin, startBenchServer } from './lib/server-process.js';

const PEOPLE = 25;
const CLOCK_TICKS = 100; // USER_HZ on Linux
const CONNECTIONS = 10;

interface Rate {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  bad: number;
  /** Server CPU (user + system) per request, from /proc; NaN where /proc is missing. */
  cpuUsPerReq: number;
}

/** CPU time a process has used, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

async function cannon(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  pid: number,
): Promise<Rate> {
  const cpu0 = cpuMs(pid);
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
    cpuUsPerReq: ((cpuMs(pid) - cpu0) * 1000) / Math.max(1, r.requests.total),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const bench: Bench = {
  name: 'tenancy-overhead',
  title: `Tenancy overhead: authenticated GET /api/people?limit=20 (token, revocation, church status, permission, per-request lease) vs the bench-only bare route (same query, mapping and schema on a handle kept open, no auth or tenancy), same server process and SQLite tenant with ${PEOPLE} people, autocannon with ${CONNECTIONS} connections, alternating rounds.`,
  async run({ full, log }) {
    const seconds = full ? 15 : 4;
    const rounds = full ? 6 : 5;
    const server = await startBenchServer();
    try {
      const { token, churchId } = await registerAndLogin(server, `o${Date.now().toString(36)}`);
      for (let i = 0; i < PEOPLE; i++) {
        const res = await server.api(
          'POST',
          '/api/people',
          { firstName: `P${i}`, lastName: `Bench${i % 7}` },
          token,
        );
        if (res.status !== 201) throw new Error(`person create answered ${res.status}`);
      }
      const real = {
        url: `${server.url}/api/people?limit=20`,
        headers: { authorization: `Bearer ${token}` },
      };
      const bare = { url: `${server.url}/api/bench/people/${churchId}?limit=20`, headers: {} };
      // Same answer from both, or the comparison means nothing.
      const [a, b] = await Promise.all([
        fetch(real.url, { headers: real.headers }).then((r) => r.text()),
        fetch(bare.url).then((r) => r.text()),
      ]);
      if (a !== b || JSON.parse(a).data.length !== 20) throw new Error('the bare route answers differently');

      const pid = server.child.pid!;
      await cannon(real.url, real.headers, 3, pid); // warm-up (JIT, caches)
      await cannon(bare.url, bare.headers, 3, pid);
      const reals: Rate[] = [];
      const bares: Rate[] = [];
      for (let i = 0; i < rounds; i++) {
        reals.push(await cannon(real.url, real.headers, seconds, pid));
        bares.push(await cannon(bare.url, bare.headers, seconds, pid));
        log(`round ${i + 1}: real ${round(reals.at(-1)!.rps)} req/s, bare ${round(bares.at(-1)!.rps)} req/s`);
      }
      const leaks = (await server.connections()).potentialLeaks;
      const mean = (xs: Rate[], k: keyof Rate) => xs.reduce((s, x) => s + x[k], 0) / xs.length;
      const realRps = mean(reals, 'rps');
      const bareRps = mean(bares, 'rps');
      // Each round pairs the two routes back to back; the median pair is robust to a round that
      // a noisy neighbour slowed down (these machines are shared).
      const ratio = median(reals.map((r, i) => r.rps / bares[i]!.rps));
      const cpuRatio = median(reals.map((r, i) => bares[i]!.cpuUsPerReq / r.cpuUsPerReq));
      const bad = mean(reals, 'bad') + mean(bares, 'bad');
      return {
        metrics: {
          roundSeconds: seconds,
          rounds,
          connections: CONNECTIONS,
          realReqPerS: Math.round(realRps),
          bareReqPerS: Math.round(bareRps),
          realOverBarePct: round(ratio * 100, 1),
          realOverBareMeanPct: round((realRps / bareRps) * 100, 1),
          realCpuUsPerReq: round(median(reals.map((r) => r.cpuUsPerReq))),
          bareCpuUsPerReq: round(median(bares.map((r) => r.cpuUsPerReq))),
          bareOverRealCpuPct: round(cpuRatio * 100, 1),
          realRoundsReqPerS: reals.map((r) => Math.round(r.rps)).join(', '),
          bareRoundsReqPerS: bares.map((r) => Math.round(r.rps)).join(', '),
          realP50Ms: round(mean(reals, 'p50Ms')),
          bareP50Ms: round(mean(bares, 'p50Ms')),
          realP99Ms: round(mean(reals, 'p99Ms')),
          bareP99Ms: round(mean(bares, 'p99Ms')),
          non2xxOrErrors: bad,
          potentialLeaks: leaks,
        },
        goals: [
          {
            label: 'authenticated route vs bare route throughput',
            target: '>= 85%',
            actual: `${round(ratio * 100, 1)}% (median of ${rounds} paired rounds; means ${Math.round(realRps)} vs ${Math.round(bareRps)} req/s)`,
            pass: ratio >= 0.85 && bad === 0,
          },
          { label: 'potential leaks after the run', target: '0', actual: String(leaks), pass: leaks === 0 },
        ],
        notes: [
          `${rounds} alternating rounds of ${seconds} s per route after a 3 s warm-up of each. The goal uses the median of the per-round ratios (real/bare, measured back to back); realOverBareMeanPct is the ratio of the means.`,
          'Server CPU per request (user + system from /proc, same rounds) is the steadier measure on a shared machine: bareOverRealCpuPct is the median per-round bare/real CPU ratio.',
          'autocannon runs in the bench process and the server in its own process (logging at warn) on the same 2 cores, so both routes share the same client cost.',
          'The bare route exists only in the bench server (bench/server/bare-people.routes.ts), never in the shipped app.',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
export default bench;
