import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { Logger } from '../../infra/logger.js';
import type { SpareTemplate } from '../../tenancy/spare-ledger.js';
import type { CatalogDb } from '../catalog-db.js';
import { takeSpare } from '../catalog-spare-ledger.js';
import { chooseServer, NoCapacityError, takeServerSlot } from '../db-servers.js';
import { checkChurchRules } from './registration-rules.js';
import { findRegistration, insertRegistration, type NewRegistration } from './registration.repository.js';
import type { Registration } from './registration.table.js';

export interface RegistrationInput {
  church: { name: string; slug: string; timezone: string; currency: string };
  admin: { name: string; email: string; password: string };
}

export interface RegistrationServiceDeps {
  catalog: CatalogDb;
  logger: Logger;
  /** argon2id behind the signup hasher's queue; rejects with 503 when it is full. */
  hashPassword(password: string): Promise<string>;
  /** Hands the registration to a worker (queue or in-process); the reconciler covers losses. */
  dispatch(registrationId: string): Promise<void>;
  /**
   * The tenant schema version this process creates databases at, recorded with the tenant: the
   * provisioner writes it again only when it creates the database at another (a rolling deploy).
   */
  schemaVersion: number;
  /** The spare PostgreSQL databases a signup takes (this process's template); undefined: none. */
  spares?: SpareTemplate;
}

/** A chosen server can fill up or be drained before the slot is taken: choose again, a few times. */
const PLACEMENT_ATTEMPTS = 5;

/** The chosen server filled up or was drained before the slot was taken (rolls the insert back). */
class SlotTakenError extends Error {
  override name = 'SlotTakenError';
}

/**
 * Signup: validate, hash the admin's password, record the registration with its hash (slug and
 * placement reserved), dispatch the provisioning job; with a wait, wait for the job's signal.
 */
export class RegistrationService {
  /**
   * Local completion signals: provisioners in this process emit the registration id with the
   * registration as they committed it (ready or failed).
   */
  readonly settled = new EventEmitter().setMaxListeners(0);

  constructor(private readonly deps: RegistrationServiceDeps) {}

  /**
   * Records and dispatches a registration; resolves with it as recorded (`pending`), or with
   * `waitMs`, once it is ready or failed (or as it stands when the wait runs out). Waiting is
   * best effort: once recorded the registration exists, so a catalog error while waiting
   * resolves with it as recorded (the client polls) rather than an error it would retry.
   */
  async submit(input: RegistrationInput, waitMs = 0): Promise<Registration> {
    const fieldErrors = checkChurchRules(input.church);
    if (fieldErrors.length) throw Errors.validation(fieldErrors);
    // First, so a full hasher (503) or a failed hash leaves nothing behind; no plaintext is ever
    // stored or queued.
    const passwordHash = await this.deps.hashPassword(input.admin.password);
    const t = new Date().toISOString();
    const row = {
      id: randomUUID(), // v4: registration ids are capabilities, so fully random
      tenant_id: uuidv7(),
      slug: input.church.slug,
      status: 'pending',
      step: 'reserved',
      church_name: input.church.name,
      timezone: input.church.timezone,
      currency: input.church.currency,
      admin_name: input.admin.name,
      admin_email: input.admin.email.toLowerCase(),
      admin_password_hash: passwordHash,
      created_at: t,
      updated_at: t,
    } as const;
    let inserted: NewRegistration;
    try {
      inserted = await this.record(row, input.church);
    } catch (err) {
      if (isUniqueViolation(err))
        throw Errors.conflict(`The church address "${input.church.slug}" is taken.`);
      if (err instanceof NoCapacityError)
        throw Errors.serviceUnavailable('No database capacity is available; try later.', 60);
      throw err;
    }
    // Committed: from here no catalog error may turn into one the client would take for
    // "not registered".
    const recorded = { ...inserted, attempts: 0, lease_owner: null, lease_expires_at: null, error: null };
    // Listening before dispatch: an in-process worker may finish before dispatch returns.
    const settled = waitMs > 0 ? this.listen(row.id) : undefined;
    try {
      await this.deps.dispatch(row.id).catch((err) =>
        // The reconciler re-dispatches pending registrations, so a failed hand-off is not lost.
        this.deps.logger.warn(
          { err, registrationId: row.id },
          'registration dispatch failed; reconciler will retry',
        ),
      );
      if (!settled) return recorded;
      // Known pending: nothing to read before the signal or the first poll.
      return await this.waitFor(row.id, waitMs, settled, recorded).catch(() => recorded);
    } finally {
      settled?.stop();
    }
  }

  /**
   * Inserts the tenant and its registration, placed on a server (chosen again if it filled up
   * meanwhile); returns the registration as inserted.
   */
  private async record(row: NewRegistration, church: RegistrationInput['church']): Promise<NewRegistration> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.catalog.transaction().execute(async (trx) => {
          const serverId = await chooseServer(trx);
          // A spare database made ahead on the server: the church takes its id (its database is
          // `steeple_t_<id>`), and the database step is done.
          const spare = serverId && this.deps.spares && (await takeSpare(trx, serverId, this.deps.spares));
          const reg: NewRegistration = spare ? { ...row, tenant_id: spare, step: 'database' } : row;
          await trx
            .insertInto('tenants')
            .values({
              id: reg.tenant_id,
              slug: church.slug,
              name: church.name,
              status: 'provisioning',
              server_id: serverId,
              schema_version: this.deps.schemaVersion,
              timezone: church.timezone,
              currency: church.currency,
              created_at: row.created_at,
              updated_at: row.created_at,
            })
            .execute();
          await insertRegistration(trx, reg);
          if (serverId && !(await takeServerSlot(trx, serverId))) throw new SlotTakenError();
          return reg;
        });
      } catch (err) {
        if (!(err instanceof SlotTakenError)) throw err;
        if (attempt >= PLACEMENT_ATTEMPTS) throw new NoCapacityError();
      }
    }
  }

  async get(id: string): Promise<Registration> {
    const reg = await findRegistration(this.deps.catalog, id);
    if (!reg) throw Errors.notFound('registration');
    return reg;
  }

  /**
   * Resolves when the registration is ready or failed, or after `timeoutMs` with its current
   * state. Woken by a provisioner in this process, whose signal carries the registration as it
   * committed it (no read back), else by a slow poll of the catalog for a worker in another
   * instance. `known`: its state now, when the caller has it (the first read is skipped).
   */
  async waitFor(
    id: string,
    timeoutMs: number,
    signal = this.listen(id),
    known?: Registration,
  ): Promise<Registration> {
    const deadline = Date.now() + timeoutMs;
    let delay = 50;
    // The signal carries the outcome as committed: one that arrives while the catalog is being
    // read wins over that read.
    let signalled: Registration | undefined;
    const woken = signal.next.then((reg) => {
      signalled = reg;
    });
    try {
      let reg = known ?? (await this.get(id));
      for (;;) {
        if (signalled) return signalled;
        if (reg.status === 'ready' || reg.status === 'failed' || Date.now() >= deadline) return reg;
        let timer: NodeJS.Timeout | undefined;
        const slept = new Promise<void>((r) => {
          timer = setTimeout(r, Math.min(delay, deadline - Date.now()));
        });
        await Promise.race([woken, slept]);
        clearTimeout(timer);
        if (signalled) return signalled;
        reg = await this.get(id);
        delay = Math.min(delay * 2, 1000);
      }
    } finally {
      signal.stop();
    }
  }

  /** Listens for the registration's local completion signal; `stop` when done with it. */
  private listen(id: string): { next: Promise<Registration>; stop(): void } {
    let onSignal = (_reg: Registration) => {};
    const next = new Promise<Registration>((resolve) => {
      onSignal = resolve;
    });
    this.settled.once(id, onSignal);
    return { next, stop: () => this.settled.off(id, onSignal) };
  }
}
