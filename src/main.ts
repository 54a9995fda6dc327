import { ConfigError, loadConfig, loadEnvironment } from './config.js';
import { createLogger } from './infra/logger.js';
import { startServer } from './server.js';

/** Entry point of `npm start`: config -> services -> app -> listen. */
try {
  const config = loadConfig(await loadEnvironment());
  await startServer(config, createLogger(config.logLevel));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`steeple: ${err.message}`);
  } else {
    console.error('steeple: failed to start:', err);
  }
  process.exit(1);
}
