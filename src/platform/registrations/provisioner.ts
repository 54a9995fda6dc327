import type { EventEmitter } from 'node:events';
import type { Logger } from '../../infra/logger.js';
import type { TenantDatabases, TenantDb } from '../../tenancy/tenant-database.js';
import type { TenantProvisioning } from '../../tenancy/tenant-provisioning.js';
import type { CatalogDb } from '../catalog-db.js';
import { releasePlacement, tenantTarget } from '../db-servers.js';
import { claimRegistration, recordStep, releaseAfterError, renewLease } from './registration.repository.js';
import type { Registration, RegistrationStep } from './registration.table.js';

/** What a new church database is seeded with (the church module writes it). */
export interface NewChurch {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  currency: string;
  admin: { name: string; email: string; passwordHash: string };
}

export interface ProvisionerDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  provisioning: Pick<TenantProvisioning, 'createDatabase' | 'dropDatabase' | 'placedOn'>;
  /** Writes the church profile and first admin; must be idempotent (a retry may run it twice). */
  seedTenant(db: TenantDb, church: NewChurch): Promise<void>;
  logger: Logger;
  /** Identifies this worker in leases. */
  owner: string;
  leaseMs: number;
  maxAttempts: number;
  /**
   * Local completion signals (event name = registration id, argument = the registration as
   * committed, ready or failed), so `?wait=true` answers at once without reading it back.
   */
  settled?: EventEmitter;
  /** Counts registrations that ended (steeple_registrations_total). */
  onOutcome?: (outcome: 'ready' | 'failed') => void;
  /** Test hook: called after each step completes, to inject crashes between steps. */
  afterStep?: (step: RegistrationStep, registration: Registration) => void | Promise<void>;
}

export type ProvisionOutcome = 'ready' | 'failed' | 'retry' | 'skipped';

/** The reason a user sees; internal errors stay in the logs. */
export const FAILED_REASON = 'We could not set up the church database. Please try registering again.';

/**
 * Runs (or resumes) one registration: database from template -> church profile and admin ->
 * tenant active. Every step is idempotent and recorded, so a crash at any point is finished by
 * the next claim; after the last attempt it is rolled back and marked failed.
 */
export async function provisionRegistration(deps: ProvisionerDeps, id: string): Promise<ProvisionOutcome> {
  const claim = await claimRegistration(deps.catalog, id, deps.owner, deps.leaseMs);
  if (!claim) return 'skipped';
  const reg = claim.registration;
  const log = deps.logger.child({ registrationId: id, tenantId: reg.tenant_id });
  // No retry can help a registration whose tenant row is gone, or whose password hash is (one
  // recorded without it by an older version): roll back now.
  if (claim.tenantStatus === null || !reg.admin_password_hash) {
    await failRegistration(
      deps,
      reg,
      claim.tenantStatus === null ? 'tenant row missing' : 'no password hash',
    );
    return 'failed';
  }
  // Heartbeat: renew the lease while working, so only a dead worker's registration is retaken.
  const heartbeat = setInterval(
    () => void renewLease(deps.catalog, id, deps.owner, deps.leaseMs).catch(() => {}),
    Math.max(100, Math.floor(deps.leaseMs / 3)),
  );
  heartbeat.unref();
  try {
    const target = { tenantId: reg.tenant_id, serverUrl: claim.server?.url ?? null };
    let step = reg.step;
    // On its first attempt, a registration past `reserved` took a spare database at signup.
    if (claim.server && reg.attempts === 1) deps.provisioning.placedOn(claim.server, step === 'database');
    if (step === 'reserved') {
      // A retry may find a half-made database from the crashed attempt: start clean.
      if (reg.attempts > 1) await deps.provisioning.dropDatabase(target);
      // The version the signup recorded is usually this process's: no catalog write then.
      await deps.provisioning.createDatabase(target, { recordedVersion: claim.schemaVersion });
      step = await advance(deps, reg, 'database');
    } else if (step === 'database' && reg.attempts > 1) {
      // A retry makes sure the database exists: a spare's may have been dropped behind its row.
      await deps.provisioning.createDatabase(target, { recordedVersion: claim.schemaVersion });
    }
    if (step === 'database') {
      const church = newChurch(reg, reg.admin_password_hash);
      await deps.tenants.withTenant(reg.tenant_id, (db) => deps.seedTenant(db, church));
      // Not recorded on its own: activation follows at once, and a crash before it re-seeds
      // (idempotently) from the hash still kept in the registration.
      await deps.afterStep?.('seeded', reg);
    }
    const ready = await activate(deps, reg);
    log.info('registration ready');
    deps.settled?.emit(id, ready);
    deps.onOutcome?.('ready');
    return 'ready';
  } catch (err) {
    if (err instanceof LeaseLostError) return 'skipped';
    log.warn({ err, attempt: reg.attempts }, 'provisioning attempt failed');
    if (reg.attempts >= deps.maxAttempts) {
      await failRegistration(deps, reg, err instanceof Error ? err.message : String(err));
      return 'failed';
    }
    await releaseAfterError(deps.catalog, id, deps.owner, err instanceof Error ? err.message : String(err));
    return 'retry';
  } finally {
    clearInterval(heartbeat);
  }
}

function newChurch(reg: Registration, passwordHash: string): NewChurch {
  return {
    id: reg.tenant_id,
    slug: reg.slug,
    name: reg.church_name,
    timezone: reg.timezone,
    currency: reg.currency,
    admin: { name: reg.admin_name, email: reg.admin_email, passwordHash },
  };
}

async function advance(
  deps: ProvisionerDeps,
  reg: Registration,
  step: RegistrationStep,
): Promise<RegistrationStep> {
  if (!(await recordStep(deps.catalog, reg.id, deps.owner, step))) throw new LeaseLostError();
  await deps.afterStep?.(step, reg);
  return step;
}

/**
 * Marks the registration ready (its hash dropped: the admin exists now) and the tenant active;
 * returns the registration as committed.
 */
async function activate(deps: ProvisionerDeps, reg: Registration): Promise<Registration> {
  const t = new Date().toISOString();
  const ready = await deps.catalog.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('registrations')
      .set({
        status: 'ready',
        step: 'active',
        admin_password_hash: null,
        lease_owner: null,
        lease_expires_at: null,
        error: null,
        updated_at: t,
      })
      .where('id', '=', reg.id)
      .where('lease_owner', '=', deps.owner)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeaseLostError();
    await trx
      .updateTable('tenants')
      .set({ status: 'active', updated_at: t, last_active_at: t })
      .where('id', '=', reg.tenant_id)
      .execute();
    return row;
  });
  await deps.afterStep?.('active', reg);
  return ready;
}

/**
 * Rolls a registration back completely: database or file dropped, placement slot returned,
 * tenant row deleted (which frees the slug), registration marked failed with a readable reason.
 */
export async function failRegistration(
  deps: Omit<ProvisionerDeps, 'afterStep'>,
  reg: Registration,
  internal: string,
) {
  const log = deps.logger.child({ registrationId: reg.id, tenantId: reg.tenant_id });
  const tenant = await deps.catalog
    .selectFrom('tenants')
    .select(['id', 'server_id'])
    .where('id', '=', reg.tenant_id)
    .executeTakeFirst();
  if (tenant) await deps.provisioning.dropDatabase(await tenantTarget(deps.catalog, tenant));
  const t = new Date().toISOString();
  const failed = await deps.catalog.transaction().execute(async (trx) => {
    if (tenant) {
      await trx
        .deleteFrom('tenants')
        .where('id', '=', tenant.id)
        .where('status', '=', 'provisioning')
        .execute();
      await releasePlacement(trx, tenant.server_id);
    }
    return trx
      .updateTable('registrations')
      .set({
        status: 'failed',
        error: FAILED_REASON,
        admin_password_hash: null,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: t,
      })
      .where('id', '=', reg.id)
      .returningAll()
      .executeTakeFirst();
  });
  log.error({ reason: internal }, 'registration failed and was rolled back');
  // No row, no signal: a waiter then polls and finds it gone.
  if (failed) deps.settled?.emit(reg.id, failed);
  deps.onOutcome?.('failed');
}

class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}
