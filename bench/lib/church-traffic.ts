import fs from 'node:fs';
import http from 'node:http';
import { LatencyHistogram } from './latency-histogram.js';

/** One church the traffic can hit: its id and an access token of its admin. */
export interface ChurchKey {
  id: string;
  token: string;
}

/** Picks a church index in [0, n): uniform, or Zipf with exponent s (rank 0 the hottest). */
export type Picker = () => number;

export const uniform =
  (n: number): Picker =>
  () =>
    Math.floor(Math.random() * n);

/** Zipf over n ranks by inverse CDF (binary search over the cumulative weights 1/k^s). */
export function zipf(n: number, s: number): Picker {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** s;
  return () => {
    const u = Math.random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface TrafficResult {
  requests: number;
  /** Wall time the traffic ran. */
  seconds: number;
  reads: number;
  writes: number;
  errors: number;
  /** Status (or error message) -> count, for everything but the expected answers. */
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  distinctChurches: number;
  /** Server RSS (MB) every sampleEveryMs. */
  rssSamplesMb: number[];
}

/** VmRSS of a process in MB (Linux /proc). */
export function rssMbOf(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line!.split(/\s+/)[1]) / 102.4) / 10;
}

/** Open file descriptors of a process (Linux /proc). */
export const openFds = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;

/**
 * Closed-loop traffic from `workers` concurrent callers for `seconds`: each request picks a
 * church, then reads its people list (`GET /api/people?limit=20`) or, one time in
 * `1 / writeShare`, adds a person. Keep-alive connections, one per worker; a request that takes
 * over 10 s counts as an error.
 */
export async function churchTraffic(o: {
  baseUrl: string;
  churches: readonly ChurchKey[];
  pick: Picker;
  workers: number;
  seconds: number;
  /** Stop after this many requests even before `seconds` (a sweep). */
  maxRequests?: number;
  writeShare: number;
  serverPid: number;
  sampleEveryMs?: number;
  onSample?: () => void;
}): Promise<TrafficResult> {
  const url = new URL(o.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.workers });
  const hist = new LatencyHistogram();
  const failures: Record<string, number> = {};
  const seen = new Set<number>();
  const r = { requests: 0, reads: 0, writes: 0, errors: 0 };
  const rssSamplesMb: number[] = [];
  const call = (church: ChurchKey, write: boolean, n: number) =>
    new Promise<number>((resolve, reject) => {
      const body = write ? JSON.stringify({ firstName: `Traffic${n}`, lastName: 'Person' }) : undefined;
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          agent,
          method: write ? 'POST' : 'GET',
          path: '/api/people?limit=20',
          headers: {
            authorization: `Bearer ${church.token}`,
            ...(body
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', reject);
      req.end(body);
    });

  const started = Date.now();
  const deadline = started + o.seconds * 1000;
  const sampler = setInterval(() => {
    rssSamplesMb.push(rssMbOf(o.serverPid));
    o.onSample?.();
  }, o.sampleEveryMs ?? 5000);
  const worker = async () => {
    while (Date.now() < deadline && r.requests < (o.maxRequests ?? Number.POSITIVE_INFINITY)) {
      const i = o.pick();
      seen.add(i);
      const write = Math.random() < o.writeShare;
      const t0 = performance.now();
      let outcome: string;
      try {
        const status = await call(o.churches[i]!, write, r.requests);
        outcome = status === (write ? 201 : 200) ? 'ok' : String(status);
      } catch (err) {
        outcome = (err as Error).message;
      }
      hist.record(performance.now() - t0);
      r.requests++;
      if (write) r.writes++;
      else r.reads++;
      if (outcome !== 'ok') {
        r.errors++;
        failures[outcome] = (failures[outcome] ?? 0) + 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.workers }, worker));
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
  return {
    ...r,
    seconds: (Date.now() - started) / 1000,
    failures,
    p50Ms: hist.percentile(50),
    p99Ms: hist.percentile(99),
    maxMs: Math.round(hist.max * 100) / 100,
    distinctChurches: seen.size,
    rssSamplesMb,
  };
}
