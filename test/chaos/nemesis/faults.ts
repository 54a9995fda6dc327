import type { FaultMode, FaultProxy } from '../../helpers/fault-proxy.js';
import type { History } from './history.js';
import type { Random } from './random.js';

const MODES: readonly FaultMode[] = ['reset', 'refuse', 'blackhole', 'latency', 'latency'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The nemesis for one connection (Redis, catalog or tenant PostgreSQL): healthy for 0.5-4 s, then
 * one fault for 0.3-3 s, until `until`. One loop per proxy, so faults on different connections
 * overlap. Every fault is recorded (kind `fault`, detail `<target> <mode>`).
 */
export async function runFaults(target: string, proxy: FaultProxy, h: History, rnd: Random, until: number) {
  while (h.now() < until) {
    await sleep(rnd.int(500, 4000));
    if (h.now() >= until) break;
    const mode = rnd.pick(MODES);
    const latencyMs = rnd.int(50, 400);
    const start = h.now();
    await proxy.setMode(mode, { latencyMs });
    await sleep(rnd.int(300, 3000));
    await proxy.setMode('pass');
    h.record({
      client: -1,
      kind: 'fault',
      start,
      end: h.now(),
      outcome: 'ok',
      detail: `${target} ${mode}${mode === 'latency' ? ` ${latencyMs}ms` : ''}`,
    });
  }
}
