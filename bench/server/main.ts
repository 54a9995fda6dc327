import { loadConfig, loadEnvironment } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { startServer } from '../../src/server.js';
import { benchRoutes } from './bench-routes.js';

/**
 * The bench server: the real server (`src/server.ts`, what `npm start` runs) plus the bench-only
 * routes under `/api/bench/`. Spawned by bench/lib/server-process.ts; refuses production.
 */
const config = loadConfig(await loadEnvironment());
if (config.env === 'production') {
  console.error('bench server: not with NODE_ENV=production (its routes have no authentication)');
  process.exit(1);
}
await startServer(config, createLogger(config.logLevel), {
  routes: (app, deps) => app.register(benchRoutes, { prefix: '/api/bench', deps }),
});
