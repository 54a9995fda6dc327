import { expect } from 'vitest';
import { ensureConsoleBuilt } from './console-build.js';
import { type ServerProcess, spawnServer } from './process.js';

/** The real server with the console built, on SQLite, no Redis, no signup limit (browser tests). */
export async function startConsoleServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  await ensureConsoleBuilt();
  return spawnServer({
    DATA_DIR: dataDir,
    REGISTRATION_RATE_LIMIT: '0',
    REDIS_URL: '',
    DATABASE_URL: '',
    TENANT_DB_SERVERS: '',
    ...env,
  });
}

/** Registers a church through the API (for tests whose subject is not signup). */
export async function registerChurch(
  server: ServerProcess,
  church: { name: string; slug: string; timezone: string; currency: string },
  admin: { name: string; email: string; password: string },
): Promise<void> {
  const res = await fetch(`${server.url}/api/registrations?wait=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ church, admin }),
  });
  expect(res.status).toBe(201);
}
