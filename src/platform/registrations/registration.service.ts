import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { v7 as uuidv7 } from 'uuid';
import { Errors } from '../../errors/app-error.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { Logger } from '../../infra/logger.js';
import type { CatalogDb } from '../catalog-db.js';
import { chooseServer, NoCapacityError, takeServerSlot } from '../db-servers.js';
import { markAdminPasswordFailed, PasswordHashes, storeAdminPasswordHash } from './admin-password-handoff.js';
import { listenFor } from './local-signal.js';
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
  /**
   * Starts argon2id at request time (no plaintext is ever stored or queued). Must throw
   * synchronously when the hasher is full, so a refused signup writes nothing.
   */
  hashPassword(password: string): Promise<string>;
  /** Hands the registration to a worker (queue or in-process); the reconciler covers losses. */
  dispatch(registrationId: string): Promise<void>;
}

/** A chosen server can fill up or be drained before the slot is taken: choose again, a few times. */
const PLACEMENT_ATTEMPTS = 5;

/** The chosen server filled up or was drained before the slot was taken (rolls the insert back). */
class SlotTakenError extends Error {
  override name = 'SlotTakenError';
}

/** What activation wrote (provisioner.ts), so a local 'ready' needs no catalog re-read. */
const ACTIVATED = {
  status: 'ready',
  step: 'active',
  admin_password_hash: null,
  admin_password_state: null,
  lease_owner: null,
  lease_expires_at: null,
  error: null,
} as const;

/**
 * Signup: validate, start hashing, reserve the slug and placement, record, dispatch, then hand
 * the hash to the provisioner (admin-password-handoff.ts); then report status.
 */
export class RegistrationService {
  /** Local completion signals; provisioners in this process emit the registration id. */
  readonly settled = new EventEmitter().setMaxListeners(0);
  /** Local password-hash hand-offs to provisioners in this process. */
  readonly hashes = new PasswordHashes();

  constructor(private readonly deps: RegistrationServiceDeps) {}

  /** Records and dispatches a registration; resolves with it as recorded (`pending`). */
  async submit(input: RegistrationInput): Promise<Registration> {
    return (await this.start(input)).registration;
  }

  /**
   * Submits, then waits up to `timeoutMs` for it to be ready or failed (`?wait=true`). Waiting is
   * best effort: once submitted the registration exists, so a catalog error while waiting
   * resolves with it as recorded (the client polls) rather than an error it would retry.
   */
  async submitAndWait(input: RegistrationInput, timeoutMs: number): Promise<Registration> {
    const { registration, settled } = await this.start(input);
    // A local provisioner finished it before the hand-over returned: nothing left to read.
    if (settled === 'ready') return { ...registration, ...ACTIVATED };
    return this.waitFor(registration.id, timeoutMs).catch(() => registration);
  }

  private async start(
    input: RegistrationInput,
  ): Promise<{ registration: Registration; settled: string | undefined }> {
    const fieldErrors = checkChurchRules(input.church);
    if (fieldErrors.length) throw Errors.validation(fieldErrors);
    // Hashing runs while the registration is recorded and its database created.
    const hashing = this.deps.hashPassword(input.admin.password);
    hashing.catch(() => {}); // awaited below; until then a rejection must not go unhandled
    const id = randomUUID(); // v4: registration ids are capabilities, so fully random
    const tenantId = uuidv7();
    const t = new Date().toISOString();
    const row = {
      id,
      tenant_id: tenantId,
      slug: input.church.slug,
      status: 'pending',
      step: 'reserved',
      church_name: input.church.name,
      timezone: input.church.timezone,
      currency: input.church.currency,
      admin_name: input.admin.name,
      admin_email: input.admin.email.toLowerCase(),
      admin_password_hash: null,
      admin_password_state: 'hashing',
      created_at: t,
      updated_at: t,
    } as const;
    try {
      await this.record(row, input.church);
    } catch (err) {
      if (isUniqueViolation(err))
        throw Errors.conflict(`The church address "${input.church.slug}" is taken.`);
      if (err instanceof NoCapacityError)
        throw Errors.serviceUnavailable('No database capacity is available; try later.', 60);
      throw err;
    }
    // With SQLite a local provisioner often finishes within the hand-over below.
    let settled: string | undefined;
    let onSettled = (_outcome: string) => {};
    const settling = new Promise<void>((resolve) => {
      onSettled = (outcome) => {
        settled = outcome;
        resolve();
      };
    });
    this.settled.once(id, onSettled);
    this.hashes.computing.add(id);
    try {
      const dispatched = this.deps.dispatch(id).catch((err) =>
        // The reconciler re-dispatches pending registrations, so a failed hand-off is not lost.
        this.deps.logger.warn(
          { err, registrationId: id },
          'registration dispatch failed; reconciler will retry',
        ),
      );
      await this.handOverHash(id, hashing, settling);
      await dispatched;
    } finally {
      this.settled.off(id, onSettled);
      this.hashes.computing.delete(id);
    }
    // As recorded: the caller polls or waits for progress. Committed, so from here no catalog
    // error may turn into one the client would take for "not registered" (found by the nemesis run).
    const registration = { ...row, attempts: 0, lease_owner: null, lease_expires_at: null, error: null };
    return { registration, settled };
  }

  /** Inserts the tenant and its registration, placed on a server (chosen again if it filled up meanwhile). */
  private async record(row: NewRegistration, church: RegistrationInput['church']): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.catalog.transaction().execute(async (trx) => {
          const serverId = await chooseServer(trx);
          await trx
            .insertInto('tenants')
            .values({
              id: row.tenant_id,
              slug: church.slug,
              name: church.name,
              status: 'provisioning',
              server_id: serverId,
              timezone: church.timezone,
              currency: church.currency,
              created_at: row.created_at,
              updated_at: row.created_at,
            })
            .execute();
          await insertRegistration(trx, row);
          if (serverId && !(await takeServerSlot(trx, serverId))) throw new SlotTakenError();
        });
        return;
      } catch (err) {
        if (!(err instanceof SlotTakenError)) throw err;
        if (attempt >= PLACEMENT_ATTEMPTS) throw new NoCapacityError();
      }
    }
  }

  /** Stores the hash for any provisioner and hands it to a local one; on failure, has it rolled back. */
  private async handOverHash(id: string, hashing: Promise<string>, settling: Promise<void>): Promise<void> {
    let hash: string;
    try {
      hash = await hashing;
    } catch (err) {
      this.hashes.deliver(id, null);
      await markAdminPasswordFailed(this.deps.catalog, id).catch((e) =>
        // A provisioner elsewhere then rolls back when its wait for the hash times out.
        this.deps.logger.warn({ err: e, registrationId: id }, 'could not record the failed password hash'),
      );
      throw err;
    }
    // A local provisioner gets it first and writes the admin before the store (which only writes
    // while the state is still 'hashing', so it cannot undo a finished seed). If it finishes first,
    // activation or rollback has cleared the hand-off: nothing is left to store, and the reply
    // goes out at once. On SQLite its whole step runs before setImmediate (marks: hash -> ready
    // 1.4 -> 0.7 ms). One elsewhere polls the catalog, and if storing fails, times out and rolls back.
    if (this.hashes.deliver(id, hash)) {
      const finished = await Promise.race([
        settling.then(() => true),
        new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
      ]);
      if (finished) return;
    }
    await storeAdminPasswordHash(this.deps.catalog, id, hash).catch((err) =>
      this.deps.logger.warn({ err, registrationId: id }, 'could not store the password hash'),
    );
  }

  async get(id: string): Promise<Registration> {
    const reg = await findRegistration(this.deps.catalog, id);
    if (!reg) throw Errors.notFound('registration');
    return reg;
  }

  /** Resolves when the registration is ready or failed, or after `timeoutMs` with its current state. */
  async waitFor(id: string, timeoutMs: number): Promise<Registration> {
    const deadline = Date.now() + timeoutMs;
    // Local completions wake the wait at once; polls are for a worker in another instance, and
    // each is a catalog round trip (a burst of 100 waiting signups made thousands of them).
    let delay = 20;
    for (;;) {
      const woke = listenFor<string>(this.settled, id, Math.min(delay, deadline - Date.now()));
      try {
        const reg = await this.get(id);
        if (reg.status === 'ready' || reg.status === 'failed' || Date.now() >= deadline) return reg;
        // Woken by a local completion, else poll the catalog (another instance may be the worker).
        // A local 'ready' is final; a failure is re-read for its reason.
        if ((await woke.next) === 'ready') return { ...reg, ...ACTIVATED };
      } finally {
        woke.stop();
      }
      delay = Math.min(delay * 2, 1000);
    }
  }
}
