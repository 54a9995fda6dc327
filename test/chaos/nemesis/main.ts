import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../helpers/process.js';
import { formatSummary } from './summary.js';
import { runNemesis } from './run-nemesis.js';

/**
 * `npm run nemesis`: a bounded (2-minute) Jepsen-style run, loopback only. The history goes to a
 * temp dir (printed); the summary and verdict to bench/results/nemesis.json. Exit 1 on a violation.
 * Env: NEMESIS_FAULT_MS (default 70000), NEMESIS_CLIENTS (4), NEMESIS_SEED (random).
 */
const seed = Number(process.env.NEMESIS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-nemesis-'));
const result = await runNemesis({
  faultMs: Number(process.env.NEMESIS_FAULT_MS ?? 70_000),
  clients: Number(process.env.NEMESIS_CLIENTS ?? 4),
  maxRegistrations: 24,
  seed,
  outDir,
  healTimeoutMs: 35_000,
  log: (line) => console.log(`nemesis: ${line}`),
});

console.log(`\n${formatSummary(result.summary)}`);
console.log(`\nhistory: ${result.historyFile}\nserver log: ${result.serverLog}`);
console.log(`run time: ${(result.durationMs / 1000).toFixed(1)} s, seed ${seed}`);
if (result.violations.length) {
  console.log(`\nVERDICT: INVALID (${result.violations.length} violations)`);
  for (const v of result.violations.slice(0, 50)) console.log(`  - ${v}`);
} else {
  console.log(
    '\nVERDICT: VALID (no revoked token accepted, no acknowledged write lost, no foreign rows, no registration stuck)',
  );
}
const resultsDir = path.join(ROOT, 'bench/results');
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(
  path.join(resultsDir, 'nemesis.json'),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      command: 'npm run nemesis',
      machine: {
        cores: os.cpus().length,
        memoryMb: Math.round(os.totalmem() / 2 ** 20),
        node: process.version,
      },
      seed,
      durationMs: result.durationMs,
      verdict: result.verdict,
      violations: result.violations,
      summary: result.summary,
    },
    null,
    2,
  )}\n`,
);
process.exit(result.violations.length ? 1 : 0);
