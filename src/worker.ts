import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, loadEnvironment } from './config.js';
import { createLogger } from './infra/logger.js';
import { createServices } from './services.js';

/**
 * Entry point of `npm run worker`: BullMQ workers without HTTP. On SIGTERM/SIGINT the workers
 * finish their current job (within SHUTDOWN_TIMEOUT_MS), connections close, the process exits 0.
 */
try {
  const config = loadConfig(await loadEnvironment());
  if (!config.redis.url || !config.queues.enabled) {
    console.error(
      'steeple worker: needs REDIS_URL (and ENABLE_QUEUES not false); without them jobs run in the API process',
    );
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const services = await createServices(config, logger, { workers: true });
  closeWithGrace(
    { delay: config.shutdownTimeoutMs, logger: { error: (m: string) => logger.error(m) } },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'fatal error, shutting down');
      else logger.info({ signal }, 'shutting down');
      await services.close();
      logger.info('shutdown complete');
    },
  );
  logger.info(`Steeple worker running (${services.describe()})`);
} catch (err) {
  console.error(err instanceof ConfigError ? `steeple worker: ${err.message}` : err);
  process.exit(1);
}
