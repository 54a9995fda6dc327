import type { Logger } from '../infra/logger.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import { duePending } from './mail-outbox.repository.js';

const BATCH = 500;

/**
 * Starts a delivery pass for every church whose mail is due (new messages a crash kept from
 * their first pass, retries whose back-off ran out). Returns the stop function.
 */
export function startMailSweeper(o: {
  catalog: CatalogDb;
  intervalMs: number;
  logger: Logger;
  dispatch(tenantId: string): Promise<void>;
}): () => Promise<void> {
  let running: Promise<void> | undefined;
  const sweep = async () => {
    const due = await duePending(o.catalog, Date.now(), BATCH);
    for (const tenantId of due) await o.dispatch(tenantId);
  };
  const tick = () => {
    running ??= sweep()
      .catch((err) => o.logger.warn({ err }, 'mail sweep failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
