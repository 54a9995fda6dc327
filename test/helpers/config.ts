import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, type Env, loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/infra/logger.js';

/** A fresh temporary DATA_DIR, removed by the returned cleanup. */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-test-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A config for tests: silent logs, a given DATA_DIR, overrides as environment strings. No spare
 * tenant databases unless a test asks: the PostgreSQL server is shared by every test file.
 */
export function testConfig(dataDir: string, env: Env = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    TENANT_SPARE_DATABASES: '0',
    ...env,
  });
}

export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
}
