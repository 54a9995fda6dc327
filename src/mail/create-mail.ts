import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { Registry } from '../infra/metrics.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantDatabases } from '../tenancy/tenant-database.js';
import { createMailTransport } from './create-mail-transport.js';
import { MailDelivery } from './mail-delivery.js';
import { createMailMetrics } from './mail-metrics.js';
import { MailOutbox } from './mail-outbox.js';
import { startMailSweeper } from './mail-sweeper.js';

/** Outgoing mail for the process: the outbox writers use, the delivery jobs run, the sweeper. */
export interface MailRuntime {
  outbox: MailOutbox;
  delivery: MailDelivery;
  /** Starts the periodic sweep for due mail; returns its stop function. */
  startSweeper(): () => Promise<void>;
  close(): void;
}

export function createMail(
  config: Config,
  d: {
    catalog: CatalogDb;
    tenants: TenantDatabases;
    logger: Logger;
    metrics: Registry;
    dispatch(tenantId: string): Promise<void>;
  },
): MailRuntime {
  const metrics = createMailMetrics(d.metrics);
  const transport = createMailTransport(config, d.logger);
  // A failed enqueue is not lost: the catalog marker makes the sweeper start the pass later.
  const dispatch = (tenantId: string) =>
    d
      .dispatch(tenantId)
      .catch((err) => d.logger.warn({ err, tenantId }, 'mail delivery not started; the sweep will'));
  return {
    outbox: new MailOutbox({
      catalog: d.catalog,
      from: config.mail.from,
      metrics,
      logger: d.logger,
      dispatch,
    }),
    delivery: new MailDelivery({ ...d, transport, config: config.mail, metrics }),
    startSweeper: () =>
      startMailSweeper({
        catalog: d.catalog,
        intervalMs: config.mail.sweepIntervalMs,
        logger: d.logger,
        dispatch,
      }),
    close: () => transport.close(),
  };
}
