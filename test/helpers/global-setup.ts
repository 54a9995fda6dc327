import net from 'node:net';
import type { TestProject } from 'vitest/node';

export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
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
  }
}

/** Probes PostgreSQL and Redis once; unreachable is a failure on CI, a loud skip elsewhere. */
export default async function setup(project: TestProject) {
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
}
