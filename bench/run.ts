import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bench, BenchResult } from './lib/bench.js';
import { writeResultsReadme } from './lib/readme.js';

/**
 * `npm run bench [-- <name>...] [--full] [--option=value...]`: runs every `bench/*.bench.ts` (or the named ones),
 * writes `bench/results/<name>.json` and regenerates `bench/results/README.md`.
 * Adding a benchmark = one new `<name>.bench.ts` file whose default export is a Bench.
 */
const dir = import.meta.dirname;
const resultsDir = path.join(dir, 'results');
const args = process.argv.slice(2);
const full = args.includes('--full');
const wanted = args.filter((a) => !a.startsWith('--'));
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}

const loadAverage1m = () => Number(os.loadavg()[0]!.toFixed(1));
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
};
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { cwd: dir }).toString().trim();
} catch {}

fs.mkdirSync(resultsDir, { recursive: true });
let failed = 0;
// Other work on a shared machine skews timings: each record carries the 1-minute load average
// at the start and the end of its benchmark so a reader can tell.
for (const file of files) {
  const bench = (await import(path.join(dir, file))).default as Bench;
  console.log(`\n== ${bench.name}: ${bench.title}`);
  const started = new Date();
  const loadStart = loadAverage1m();
  let result: BenchResult;
  try {
    result = await bench.run({ full, log: (m) => console.log(`   ${m}`) });
  } catch (err) {
    failed++;
    console.error(`   failed: ${(err as Error).stack ?? err}`);
    continue;
  }
  for (const g of result.goals)
    console.log(`   ${g.pass ? 'PASS' : 'MISS'} ${g.label}: ${g.actual} (goal ${g.target})`);
  const record = {
    name: bench.name,
    title: bench.title,
    date: started.toISOString(),
    durationS: Number(((Date.now() - started.getTime()) / 1000).toFixed(1)),
    command,
    full,
    commit,
    machine: { ...machine, loadAverage1m: loadStart, loadAverageEnd1m: loadAverage1m() },
    ...result,
  };
  fs.writeFileSync(path.join(resultsDir, `${bench.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
writeResultsReadme(resultsDir);
console.log(`\nresults in ${path.relative(process.cwd(), resultsDir)}/`);
process.exit(failed ? 1 : 0);
