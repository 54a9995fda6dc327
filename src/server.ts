import closeWithGrace from 'close-with-grace';
import { type App, type AppDeps, buildApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './infra/logger.js';
import { createServices } from './services.js';

/**
 * Starts the HTTP server and owns its shutdown: on SIGTERM/SIGINT stop accepting, let in-flight
 * requests finish, close every resource, exit 0; past SHUTDOWN_TIMEOUT_MS or on a second
 * signal, exit at once.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: {
    /** Routes added beside the app's own (the bench server's baselines). */
    routes?: (app: App, deps: AppDeps) => PromiseLike<unknown>;
  } = {},
): Promise<void> {
  const services = await createServices(config, logger);
  const app = await buildApp(services.deps);
  await options.routes?.(app, services.deps);

  closeWithGrace(
    { delay: config.shutdownTimeoutMs, logger: { error: (m: string) => logger.error(m) } },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'fatal error, shutting down');
      else logger.info({ signal }, 'shutting down');
      await app.close();
      await services.close();
      logger.info('shutdown complete');
    },
  );

  const address = await app.listen({ host: config.http.host, port: config.http.port });
  logger.info(`Steeple listening on ${address} (${services.describe()})`);
}
