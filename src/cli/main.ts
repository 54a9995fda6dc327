import { Command } from 'commander';
import { type Config, ConfigError, loadConfig, loadEnvironment } from '../config.js';
import { createLogger, type Logger } from '../infra/logger.js';
import { migrateCatalog, openCatalog } from '../platform/catalog-db.js';
import { startServer } from '../server.js';
import { registerTenantCommands } from './tenants.js';
import { registerChurchCommands } from './church-commands.js';
import { registerServerCommands } from './servers.js';
import { registerMoveCommands } from './move-commands.js';
import { registerRestoreCommands } from './restore-commands.js';
import { registerMailCommands } from './mail-commands.js';
import { registerUserCommands } from './user-commands.js';

/** Loads config and a logger for a command; a bad config exits 1 with one line. */
async function context(): Promise<{ config: Config; logger: Logger }> {
  try {
    const config = loadConfig(await loadEnvironment());
    // Commands print their own results; only warnings and errors are logged.
    return { config, logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) };
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`steeple: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** The `steeple` operator command. */
export function buildCli(): Command {
  const program = new Command('steeple')
    .description('Steeple church-management backend')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the HTTP server')
    .action(async () => {
      const { config } = await context();
      await startServer(config, createLogger(config.logLevel));
    });

  program
    .command('migrate')
    .description('bring the catalog schema up to date')
    .action(async () => {
      const { config, logger } = await context();
      const catalog = openCatalog(config, logger);
      try {
        const applied = await migrateCatalog(catalog);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'catalog is up to date');
      } finally {
        await catalog.destroy();
      }
    });

  registerTenantCommands(program, context);
  registerChurchCommands(program, context);
  registerServerCommands(program, context);
  registerMoveCommands(program, context);
  registerRestoreCommands(program, context);
  registerMailCommands(program, context);
  registerUserCommands(program, context);

  return program;
}

await buildCli().parseAsync(process.argv);
