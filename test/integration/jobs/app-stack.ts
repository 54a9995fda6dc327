import path from 'node:path';
import type { App } from '../../../src/app.js';
import { buildTestApp } from '../../helpers/app.js';
import type { Env } from '../../../src/config.js';
import { createServices, type Services } from '../../../src/services.js';
import { tempDataDir, testConfig } from '../../helpers/config.js';
import { capturingLogger, uniquePrefix } from '../redis/support.js';
import { type EffectDb, effectJob, openEffectDb } from './effect-job.js';

export interface AppStack {
  app: App;
  services: Services;
  effects: EffectDb;
  lines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The real services and app (SQLite catalog) with the effect job registered, logs captured. */
export async function appStackWithEffectJob(env: Env, opts: { sleepMs?: number } = {}): Promise<AppStack> {
  const data = tempDataDir();
  const config = testConfig(data.dir, {
    REDIS_KEY_PREFIX: uniquePrefix('app'),
    REDIS_RECONNECT_MAX_MS: '500',
    ...env,
  });
  const { logger, lines } = capturingLogger('info');
  const effects = await openEffectDb(path.join(data.dir, 'effects.db'));
  const services = await createServices(config, logger, { jobs: [effectJob(effects, opts)] });
  const app = await buildTestApp(services.deps);
  return {
    app,
    services,
    effects,
    lines,
    close: async () => {
      await app.close();
      await services.close();
      await effects.destroy();
      data.cleanup();
    },
  };
}
