// A `steeple` process moving a church that stops dead at one point of the move: it prints
// `AT <point>` and waits there until the test SIGKILLs it. Configured by the environment
// (DATA_DIR, DATABASE_URL) like the real CLI; argv: tenant id, target server id, point.
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/infra/logger.js';
import { createTenantMoves } from '../../../src/platform/tenant-move/create-tenant-moves.js';
import { createServices } from '../../../src/services.js';

const [tenantId, to, stopAt] = process.argv.slice(2) as [string, string, string];
const config = loadConfig(process.env);
const logger = createLogger('silent');
const services = await createServices(config, logger, { workers: false, background: false, prewarm: false });
const { mover } = createTenantMoves(
  config,
  {
    catalog: services.deps.catalog,
    tenants: services.deps.tenants,
    provisioning: services.deps.provisioning,
    logger,
  },
  {
    onPoint: async (point) => {
      if (point !== stopAt) return;
      process.stdout.write(`AT ${point}\n`);
      await new Promise(() => setInterval(() => undefined, 1000));
    },
  },
);
await mover.move(tenantId, to);
process.stdout.write('DONE\n');
process.exit(0);
