import type { Logger } from '../../infra/logger.js';
import type { CatalogDb } from '../catalog-db.js';
import { failRegistration, type ProvisionerDeps } from './provisioner.js';
import { findStaleRegistrations } from './registration.repository.js';

export interface ReconcilerDeps {
  catalog: CatalogDb;
  logger: Logger;
  provisioner: Omit<ProvisionerDeps, 'afterStep'>;
  dispatch(registrationId: string): Promise<void>;
  /** A pending registration not claimed within this time is assumed lost by its queue. */
  pendingGraceMs: number;
  /** Other periodic catch-up work run on the same timer (e.g. purging deleted churches). */
  afterRun?: () => Promise<void>;
}

/**
 * Finishes what crashes and lost queues left behind: re-dispatches stale registrations, and
 * rolls back those that used up their attempts. Safe to run on every instance at once: workers
 * claim atomically.
 */
export async function reconcileRegistrations(
  deps: ReconcilerDeps,
): Promise<{ redispatched: number; failed: number }> {
  const stale = await findStaleRegistrations(deps.catalog, deps.pendingGraceMs);
  let redispatched = 0;
  let failed = 0;
  for (const reg of stale) {
    if (reg.attempts >= deps.provisioner.maxAttempts) {
      await failRegistration(deps.provisioner, reg, reg.error ?? 'attempts exhausted');
      failed++;
    } else {
      await deps
        .dispatch(reg.id)
        .catch((err) => deps.logger.warn({ err, registrationId: reg.id }, 'redispatch failed'));
      redispatched++;
    }
  }
  if (stale.length) deps.logger.info({ redispatched, failed }, 'reconciled registrations');
  return { redispatched, failed };
}

/** Runs the reconciler now and then every `intervalMs` (unref'd); returns a stop function. */
export function startReconciler(deps: ReconcilerDeps, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return; // a slow run is never overlapped by the next tick
    running = reconcileRegistrations(deps)
      .then(() => deps.afterRun?.())
      .catch((err) => deps.logger.error({ err }, 'reconciler run failed'))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
