import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/infra/logger.js';
import { createServices } from '../src/services.js';

/**
 * The OpenAPI document exactly as the app serves it at /api/openapi.json: the app is built in
 * this process (SQLite in a scratch directory, no Redis, no background work) and never listens.
 */
export async function buildApiDocument(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-api-document-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    TENANT_SPARE_DATABASES: '0',
  });
  const services = await createServices(config, createLogger('silent'), {
    background: false,
    prewarm: false,
  });
  try {
    const app = await buildApp(services.deps);
    try {
      const res = await app.inject({ url: '/api/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${res.statusCode}`);
      return res.json();
    } finally {
      await app.close();
    }
  } finally {
    await services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
