import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/process.js';
import { type Bench, round } from './lib/bench.js';
import { benchServerEnv, SERVER_ENTRIES } from './lib/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const IDLE_MS = 5_000;
/**
 * tsx: the sources through tsx, what `npm start` ran before the production build; compiled:
 * `npm start` now. (The first record of this bench, in docs/scaling.md, also started the commit
 * before the build; that needs dependencies this checkout no longer installs.)
 */
const ENTRIES = {
  tsx: ['--import', 'tsx', 'src/main.ts'],
  compiled: SERVER_ENTRIES.compiled,
} as const;
type Entry = keyof typeof ENTRIES;

interface Start {
  readyMs: number;
  /** CPU (user + system) the process used until ready: steadier than wall time on a busy machine. */
  readyCpuMs: number;
  idleRssMb: number;
}

/** CPU time a process has used, in ms (Linux /proc, USER_HZ = 100). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return round(Number(line!.split(/\s+/)[1]) / 1024, 1);
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`)).status === 200;
  } catch {
    return false;
  }
}

/**
 * One start of the server on an existing DATA_DIR (a restart): from spawn until `/api/health`
 * answers 200 (polled every 5 ms), then RSS after IDLE_MS of idling; then SIGTERM.
 */
async function startOnce(
  entry: Entry,
  cwd: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Start> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...ENTRIES[entry]], {
    cwd,
    env: benchServerEnv(port, dataDir, env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    while (!(await healthy(url))) {
      if (child.exitCode !== null) throw new Error(`${entry} server exited:\n${err}`);
      if (performance.now() - t0 > 120_000) throw new Error(`${entry} server not ready in 120 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - t0;
    const readyCpuMs = cpuMs(child.pid!);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs: round(readyMs, 0), readyCpuMs, idleRssMb: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const bench: Bench = {
  name: 'startup',
  title:
    'Start-up of the server process: the sources through tsx (`node --import tsx src/main.ts`, what `npm start` ran before the production build) vs `node dist/src/main.js` (compiled by `npm run build:server`, what `npm start` runs now); restarts on a SQLite DATA_DIR, alternating; start-to-ready time, CPU until ready and idle RSS.',
  async run({ full, log }) {
    const runs = full ? 9 : 5;
    // A clean build, as `npm ci` runs it on a fresh clone (`prepare`).
    fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
    const b0 = performance.now();
    const build = spawnSync('npm', ['run', 'build:server'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    const buildS = round((performance.now() - b0) / 1000, 1);
    log(`clean build ${buildS} s`);

    const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `steeple-bench-start-${name}-`));
    const where: Record<Entry, { cwd: string; dataDir: string }> = {
      tsx: { cwd: ROOT, dataDir: tmp('tsx') },
      compiled: { cwd: ROOT, dataDir: tmp('compiled') },
    };
    const start = (entry: Entry, env?: Record<string, string>) =>
      startOnce(entry, where[entry].cwd, where[entry].dataDir, env);
    try {
      // A release's first start under tsx has nothing in tsx's transform cache. It also creates
      // the catalog, the tenant template and the dev JWT secret, so measured starts are restarts.
      const tsxCold = await start('tsx', { TSX_DISABLE_CACHE: '1' });
      await start('compiled');
      const order: Entry[][] = [
        ['tsx', 'compiled'],
        ['compiled', 'tsx'],
      ];
      const all: Record<Entry, Start[]> = { tsx: [], compiled: [] };
      for (let i = 0; i < runs; i++) {
        for (const entry of order[i % order.length]!) all[entry].push(await start(entry));
        log(
          `run ${i + 1}: ${(['tsx', 'compiled'] as const).map((e) => `${e} ${all[e].at(-1)!.readyMs} ms (cpu ${all[e].at(-1)!.readyCpuMs}) ${all[e].at(-1)!.idleRssMb} MB`).join(', ')}`,
        );
      }
      const m = (entry: Entry, k: keyof Start) => median(all[entry].map((s) => s[k]));
      const lower = (k: keyof Start, from: Entry) => round((1 - m('compiled', k) / m(from, k)) * 100, 1);
      const readyLower = lower('readyMs', 'tsx');
      const rssLower = lower('idleRssMb', 'tsx');
      return {
        metrics: {
          runs,
          cleanBuildS: buildS,
          tsxReadyMs: m('tsx', 'readyMs'),
          compiledReadyMs: m('compiled', 'readyMs'),
          tsxColdCacheReadyMs: tsxCold.readyMs,
          readyLowerPct: readyLower,
          tsxReadyCpuMs: m('tsx', 'readyCpuMs'),
          compiledReadyCpuMs: m('compiled', 'readyCpuMs'),
          readyCpuLowerPct: lower('readyCpuMs', 'tsx'),
          tsxIdleRssMb: m('tsx', 'idleRssMb'),
          compiledIdleRssMb: m('compiled', 'idleRssMb'),
          idleRssLowerPct: rssLower,
          ...Object.fromEntries(
            (['tsx', 'compiled'] as const).flatMap((e) => [
              [`${e}RunsReadyMs`, all[e].map((s) => s.readyMs).join(', ')],
              [`${e}RunsReadyCpuMs`, all[e].map((s) => s.readyCpuMs).join(', ')],
              [`${e}RunsIdleRssMb`, all[e].map((s) => s.idleRssMb).join(', ')],
            ]),
          ),
        },
        goals: [
          {
            label: 'start-to-ready, compiled vs tsx',
            target: '>= 30% lower',
            actual: `${readyLower}% lower (${m('compiled', 'readyMs')} vs ${m('tsx', 'readyMs')} ms, medians of ${runs})`,
            pass: readyLower >= 30,
          },
          {
            label: 'idle RSS, compiled vs tsx',
            target: '>= 30% lower',
            actual: `${rssLower}% lower (${m('compiled', 'idleRssMb')} vs ${m('tsx', 'idleRssMb')} MB, medians of ${runs})`,
            pass: rssLower >= 30,
          },
        ],
        notes: [
          `Each start is a restart on its own SQLite DATA_DIR (catalog, template and secret exist), no Redis, logging at warn. Ready = the first 200 from GET /api/health, polled every 5 ms from spawn (ReadyCpuMs: the CPU the process used until then, steadier on a busy machine); idle RSS = VmRSS ${IDLE_MS / 1000} s after ready. ${runs} runs of each, rotating which goes first.`,
          'Both run the same sources, so the difference is the build alone (no TypeScript transform and no tsx loader at run time); route validators and response serializers compile on first use in both (src/http/compile-on-first-use.ts).',
          "tsx runs use a warm tsx transform cache (as a restart does); tsxColdCacheReadyMs is one start of today's sources with TSX_DISABLE_CACHE=1, as the first start of a new release was.",
          'cleanBuildS: `npm run build:server` (tsc) from an empty dist/, what `npm ci` adds to the set-up through the prepare script.',
        ],
      };
    } finally {
      for (const w of Object.values(where)) fs.rmSync(w.dataDir, { recursive: true, force: true });
    }
  },
};
export default bench;
