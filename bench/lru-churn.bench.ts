import { mb, round, settledRss, type Bench } from './lib/bench.js';
import { LatencyHistogram } from './lib/latency-histogram.js';
import { sqliteFleet } from './lib/sqlite-fleet.js';

const TENANTS = 1000;
const CACHE = 100;
const WORKERS = 16;

const bench: Bench = {
  name: 'lru-churn',
  title: `LRU churn: ${TENANTS} SQLite tenants through a cache of ${CACHE}, ${WORKERS} concurrent callers, uniform random tenant per request (about 90% misses: evict + open).`,
  async run({ full, log }) {
    const seconds = full ? 300 : 30;
    const fleet = await sqliteFleet(TENANTS, { TENANT_CACHE_MAX: String(CACHE) });
    const hist = new LatencyHistogram();
    let errors = 0;
    const request = async () => {
      const id = fleet.ids[Math.floor(Math.random() * TENANTS)]!;
      const t0 = performance.now();
      try {
        await fleet.manager.withTenant(id, (db) => db.selectFrom('church').select('id').limit(1).execute());
        return performance.now() - t0;
      } catch {
        errors++;
        return undefined;
      }
    };
    // Warm-up: fill the cache and JIT before the RSS baseline.
    for (let i = 0; i < 2000; i++) await request();
    const rssStart = settledRss();
    const samples: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    let nextSample = Date.now() + 5000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const ms = await request();
        if (ms !== undefined) hist.record(ms);
        if (Date.now() >= nextSample) {
          nextSample += 5000;
          samples.push(mb(process.memoryUsage().rss));
          log(`t+${samples.length * 5}s rss ${samples.at(-1)} MB, ${hist.count} requests`);
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const rssEnd = settledRss();
    const s = fleet.manager.getStats();
    await fleet.close();
    const growth = (rssEnd - rssStart) / rssStart;
    return {
      metrics: {
        durationS: seconds,
        requests: hist.count,
        requestsPerS: Math.round(hist.count / seconds),
        p50Ms: hist.percentile(50),
        p99Ms: hist.percentile(99),
        maxMs: round(hist.max),
        errors,
        rssStartMb: mb(rssStart),
        rssEndMb: mb(rssEnd),
        rssSamplesMb: samples.join(', '),
        evicted: s.evicted,
        created: s.created,
        potentialLeaks: s.potentialLeaks,
      },
      goals: [
        { label: 'errors', target: '0', actual: String(errors), pass: errors === 0 },
        {
          label: 'RSS start vs end (flat)',
          target: 'growth <= 10%',
          actual: `${mb(rssStart)} -> ${mb(rssEnd)} MB (${(growth * 100).toFixed(1)}%)`,
          pass: growth <= 0.1,
        },
        {
          label: 'potential leaks after the run',
          target: '0',
          actual: String(s.potentialLeaks),
          pass: s.potentialLeaks === 0,
        },
      ],
      notes: [
        full
          ? 'Full 5-minute run (`--full`).'
          : 'Short 30-second run (default); `npm run bench -- lru-churn --full` runs the 5-minute version.',
        'Latency is one `withTenant` call (open on a miss, point read, release) as the caller sees it.',
      ],
    };
  },
};
export default bench;
