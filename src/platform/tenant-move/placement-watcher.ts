import type { Logger } from '../../infra/logger.js';
import type { CatalogDb } from '../catalog-db.js';
import { recentlySwitched } from './tenant-move.repository.js';

export interface PlacementWatcherDeps {
  catalog: CatalogDb;
  /** Forgets a church's open handle (TenantDbManager.evict). */
  evict(tenantId: string): void;
  logger: Logger;
  /** How often the catalog is asked (default 1 s): the longest a stale handle serves reads. */
  intervalMs?: number;
  /** Periodic work that rides on the same timer (dropping moved churches' old databases). */
  every?: { ms: number; run(): Promise<unknown> };
}

// Switches are looked for this far back, so an instance whose clock lags the mover's still sees
// them; each is acted on once.
const LOOK_BACK_MS = 120_000;

/**
 * Each instance's side of a move's switch: every `intervalMs` it reads the moves switched
 * lately from the catalog and evicts those churches' handles, so the next request opens the
 * database the catalog names now. Until then the old handle reads from the fenced source
 * (writes there are refused with a 503). Returns a stop function.
 */
export function startPlacementWatcher(deps: PlacementWatcherDeps): () => Promise<void> {
  const seen = new Map<string, number>();
  let lastExtra = Date.now();
  let running: Promise<void> | undefined;
  const tick = async () => {
    const now = Date.now();
    for (const m of await recentlySwitched(deps.catalog, LOOK_BACK_MS)) {
      if (seen.has(m.id)) continue;
      seen.set(m.id, now);
      deps.evict(m.tenant_id);
    }
    for (const [id, at] of seen) if (now - at > 2 * LOOK_BACK_MS) seen.delete(id);
    if (deps.every && now - lastExtra >= deps.every.ms) {
      lastExtra = now;
      await deps.every.run();
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch((err) => deps.logger.warn({ err }, 'could not check for moved churches'))
      .finally(() => {
        running = undefined;
      });
  }, deps.intervalMs ?? 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
