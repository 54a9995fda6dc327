import type { EventEmitter } from 'node:events';
import type { CompiledQuery } from 'kysely';
import { executeCompiledInTransaction, fillSlot } from '../../infra/db/direct-sqlite.js';
import type { Logger } from '../../infra/logger.js';
import type { TenantDatabases, TenantDb } from '../../tenancy/tenant-database.js';
import type { CatalogDb } from '../catalog-db.js';
import type { Tenant } from '../catalog.table.js';
import { releasePlacement } from '../db-servers.js';
import {
  awaitAdminPasswordHash,
  type PasswordHashes,
  PasswordHashUnavailableError,
} from './admin-password-handoff.js';
import { claimRegistration, recordStep, releaseAfterError, renewLease } from './registration.repository.js';
import type { Registration, RegistrationStep } from './registration.table.js';

/** Creating and dropping a tenant's database (the tenancy core implements it). */
export interface TenantStorage {
  create(tenant: Tenant): Promise<void>;
  drop(tenant: Tenant): Promise<void>;
}

export interface ProvisionerDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  storage: TenantStorage;
  /**
   * Writes the church profile and first admin; must be idempotent (a retry may run it twice).
   * `passwordHash` resolves once the signup request has hashed the admin's password.
   */
  seedTenant(db: TenantDb, registration: Registration, passwordHash: () => Promise<string>): Promise<void>;
  logger: Logger;
  /** Identifies this worker in leases. */
  owner: string;
  leaseMs: number;
  maxAttempts: number;
  /** Local completion signals (event name = registration id), so `?wait=true` answers at once. */
  settled?: EventEmitter;
  /** Local password-hash hand-offs from signup requests in this process. */
  hashes?: PasswordHashes;
  /** How long after signup a registration may wait for its password hash before rolling back. */
  hashWaitMs?: number;
  /** Counts registrations that ended (steeple_registrations_total). */
  onOutcome?: (outcome: 'ready' | 'failed') => void;
  /** Test hook: called after each step completes, to inject crashes between steps. */
  afterStep?: (step: RegistrationStep, registration: Registration) => void | Promise<void>;
}

/** Far beyond the signup hasher's longest queue (500 waiting x ~15 ms / 2 at a time). */
const DEFAULT_HASH_WAIT_MS = 60_000;

export type ProvisionOutcome = 'ready' | 'failed' | 'retry' | 'skipped';

/** The reason a user sees; internal errors stay in the logs. */
export const FAILED_REASON = 'We could not set up the church database. Please try registering again.';

/**
 * Runs (or resumes) one registration: database from template -> church profile and admin ->
 * tenant active. Every step is idempotent and recorded, so a crash at any point is finished by
 * the next claim; after the last attempt it is rolled back and marked failed.
 */
export async function provisionRegistration(deps: ProvisionerDeps, id: string): Promise<ProvisionOutcome> {
  const reg = await claimRegistration(deps.catalog, id, deps.owner, deps.leaseMs);
  if (!reg) return 'skipped';
  const log = deps.logger.child({ registrationId: id, tenantId: reg.tenant_id });
  const tenant = await deps.catalog
    .selectFrom('tenants')
    .selectAll()
    .where('id', '=', reg.tenant_id)
    .executeTakeFirst();
  if (!tenant) {
    await failRegistration(deps, reg, 'tenant row missing');
    return 'failed';
  }
  // Heartbeat: renew the lease while working, so only a dead worker's registration is retaken.
  const heartbeat = setInterval(
    () => void renewLease(deps.catalog, id, deps.owner, deps.leaseMs).catch(() => {}),
    Math.max(100, Math.floor(deps.leaseMs / 3)),
  );
  heartbeat.unref();
  try {
    // Built ahead, while the signup's argon2 hash runs: after it, writing the admin and this are
    // all that is left before the reply.
    const activation = compileActivation(deps, reg);
    let step = reg.step;
    if (step === 'reserved') {
      // A retry may find a half-made database from the crashed attempt: start clean.
      if (reg.attempts > 1) await deps.storage.drop(tenant);
      await deps.storage.create(tenant);
      step = await advance(deps, reg, 'database');
    }
    if (step === 'database') {
      const passwordHash = () =>
        awaitAdminPasswordHash(
          { catalog: deps.catalog, hashes: deps.hashes, waitMs: deps.hashWaitMs ?? DEFAULT_HASH_WAIT_MS },
          reg,
        );
      await deps.tenants.withTenant(tenant.id, (db) => deps.seedTenant(db, reg, passwordHash));
      // Not recorded on its own: activation follows at once, and a crash before it re-seeds
      // (idempotently) from the hash still kept in the registration.
      await deps.afterStep?.('seeded', reg);
      step = 'seeded';
    }
    if (step === 'seeded') await activate(deps, reg, activation);
    log.info('registration ready');
    deps.settled?.emit(id, 'ready');
    deps.onOutcome?.('ready');
    return 'ready';
  } catch (err) {
    if (err instanceof LeaseLostError) return 'skipped';
    // No retry can bring the password back: roll back now rather than after every attempt.
    if (err instanceof PasswordHashUnavailableError) {
      await failRegistration(deps, reg, err.message);
      return 'failed';
    }
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

async function advance(
  deps: ProvisionerDeps,
  reg: Registration,
  step: RegistrationStep,
): Promise<RegistrationStep> {
  if (!(await recordStep(deps.catalog, reg.id, deps.owner, step))) throw new LeaseLostError();
  await deps.afterStep?.(step, reg);
  return step;
}

/** Stands for the activation time in the queries compiled ahead. */
const NOW = '\u0000now';

function compileActivation(deps: ProvisionerDeps, reg: Registration): CompiledQuery[] {
  const ready = deps.catalog
    .updateTable('registrations')
    .set({
      status: 'ready',
      step: 'active',
      admin_password_hash: null, // the admin exists now; the hash is not kept
      admin_password_state: null,
      lease_owner: null,
      lease_expires_at: null,
      error: null,
      updated_at: NOW,
    })
    .where('id', '=', reg.id)
    .where('lease_owner', '=', deps.owner)
    .compile();
  const active = deps.catalog
    .updateTable('tenants')
    .set({ status: 'active', updated_at: NOW, last_active_at: NOW })
    .where('id', '=', reg.tenant_id)
    .compile();
  return [ready, active];
}

/** The signup's last write (it answers once this commits): run directly on a SQLite catalog. */
async function activate(
  deps: ProvisionerDeps,
  reg: Registration,
  activation: CompiledQuery[],
): Promise<void> {
  const t = new Date().toISOString();
  const queries = activation.map((q) => fillSlot(q, NOW, t));
  await executeCompiledInTransaction(deps.catalog, queries, ([registrations]) => {
    if (registrations !== 1) throw new LeaseLostError();
  });
  await deps.afterStep?.('active', reg);
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
    .selectAll()
    .where('id', '=', reg.tenant_id)
    .executeTakeFirst();
  if (tenant) await deps.storage.drop(tenant);
  const t = new Date().toISOString();
  await deps.catalog.transaction().execute(async (trx) => {
    if (tenant) {
      await trx
        .deleteFrom('tenants')
        .where('id', '=', tenant.id)
        .where('status', '=', 'provisioning')
        .execute();
      await releasePlacement(trx, tenant.server_id);
    }
    await trx
      .updateTable('registrations')
      .set({
        status: 'failed',
        error: FAILED_REASON,
        admin_password_hash: null,
        admin_password_state: null, // a hash stored late must not land in a failed registration
        lease_owner: null,
        lease_expires_at: null,
        updated_at: t,
      })
      .where('id', '=', reg.id)
      .execute();
  });
  log.error({ reason: internal }, 'registration failed and was rolled back');
  deps.settled?.emit(reg.id, 'failed');
  deps.onOutcome?.('failed');
}

class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}
