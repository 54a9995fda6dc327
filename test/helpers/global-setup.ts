import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a TCP connection to the URL's host and port opens within 2 s. */
export function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
    redisAvailable: boolean;
    /** Where each test file reports the operations it saw succeed (contract-setup.ts). */
    apiCoverageDir: string;
  }
}

/**
 * After a run of every test file: each operation of the OpenAPI document must have been answered
 * 2xx (and so had its success body checked) at least once. A run of some files only checks nothing.
 */
function checkApiCoverage(project: TestProject, dir: string, testFiles: string[]) {
  const reports = fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  fs.rmSync(dir, { recursive: true, force: true });
  const ran = new Set(project.vitest.state.getFiles().map((f) => f.filepath));
  if (testFiles.some((f) => !ran.has(f))) return;
  const operations = new Set<string>(reports.flatMap((r: { operations: string[] }) => r.operations));
  const succeeded = new Set<string>(reports.flatMap((r: { succeeded: string[] }) => r.succeeded));
  const missing = [...operations].filter((o) => !succeeded.has(o)).sort();
  if (missing.length === 0) return;
  // Vitest only logs a teardown error: the exit code is what fails `npm test`.
  process.exitCode = 1;
  throw new Error(
    `API operations no test saw succeed (add a test that calls them):\n- ${missing.join('\n- ')}`,
  );
}

/** Probes PostgreSQL and Redis once; unreachable is a failure on CI, a loud skip elsewhere. */
export default async function setup(project: TestProject) {
  const coverageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-api-coverage-'));
  const { testFiles } = await project.globTestFiles();
  project.provide('apiCoverageDir', coverageDir);
  const required = process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1';
  const pg = await reachable(TEST_PG_URL);
  const redis = await reachable(TEST_REDIS_URL);
  for (const [name, up, url] of [
    ['PostgreSQL', pg, TEST_PG_URL],
    ['Redis', redis, TEST_REDIS_URL],
  ] as const) {
    if (up) continue;
    if (required) throw new Error(`${name} at ${url} is unreachable and REQUIRE_SERVICES/CI is set`);
    console.warn(`\n!!! ${name} at ${url} is unreachable: its test suites are SKIPPED !!!\n`);
  }
  project.provide('pgAvailable', pg);
  project.provide('redisAvailable', redis);
  return () => checkApiCoverage(project, coverageDir, testFiles);
}
