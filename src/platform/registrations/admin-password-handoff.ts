import { EventEmitter } from 'node:events';
import type { CatalogDb } from '../catalog-db.js';
import { listenFor } from './local-signal.js';
import type { Registration } from './registration.table.js';

/**
 * The admin's password hash travels from the signup request to the provisioner. The request
 * records the registration first and hashes meanwhile, so argon2 (tens of ms) overlaps creating
 * the database; the provisioner waits for the hash only when it writes the admin user.
 * In-process the request hands the hash over on `hashes` (event = registration id, payload =
 * the hash, or null when hashing failed); a provisioner in another instance polls the catalog.
 */
export class PasswordHashes extends EventEmitter {
  /**
   * Registrations whose hash is being computed in this process. Their provisioner waits for the
   * hand-over alone; reading the catalog is for a provisioner elsewhere (every provisioner used to
   * poll: twice per sequential SQLite signup, every 10-100 ms per waiting one in a burst).
   */
  readonly computing = new Set<string>();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Hands a hash (or null: hashing failed) to a local provisioner; true when one was waiting. */
  deliver(id: string, hash: string | null): boolean {
    this.computing.delete(id);
    return this.emit(id, hash);
  }
}

/** The hash will never come: hashing failed, or the request died before storing it. */
export class PasswordHashUnavailableError extends Error {
  override name = 'PasswordHashUnavailableError';
}

export async function storeAdminPasswordHash(catalog: CatalogDb, id: string, hash: string): Promise<void> {
  await catalog
    .updateTable('registrations')
    .set({ admin_password_hash: hash, admin_password_state: null })
    .where('id', '=', id)
    .where('admin_password_state', '=', 'hashing')
    .execute();
}

export async function markAdminPasswordFailed(catalog: CatalogDb, id: string): Promise<void> {
  await catalog
    .updateTable('registrations')
    .set({ admin_password_state: 'failed' })
    .where('id', '=', id)
    .where('admin_password_state', '=', 'hashing')
    .execute();
}

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

/**
 * Resolves with the registration's password hash as soon as the request hands it over here or
 * stores it in the catalog (read only while it is not being computed in this process). Throws
 * PasswordHashUnavailableError when hashing failed, or when `waitMs` after the registration was
 * created has passed (its request died: the plaintext is gone, so only a rollback is left).
 */
export async function awaitAdminPasswordHash(
  deps: { catalog: CatalogDb; hashes?: PasswordHashes; waitMs: number },
  reg: Pick<Registration, 'id' | 'created_at' | 'admin_password_hash'>,
): Promise<string> {
  if (reg.admin_password_hash) return reg.admin_password_hash;
  const deadline = Date.parse(reg.created_at) + deps.waitMs;
  let delay = FIRST_POLL_MS;
  for (;;) {
    const handedOver = listenFor<string | null>(deps.hashes, reg.id, Math.min(delay, deadline - Date.now()));
    try {
      if (!deps.hashes?.computing.has(reg.id)) {
        const row = await deps.catalog
          .selectFrom('registrations')
          .select(['admin_password_hash', 'admin_password_state'])
          .where('id', '=', reg.id)
          .executeTakeFirst();
        if (row?.admin_password_hash) return row.admin_password_hash;
        if (row?.admin_password_state !== 'hashing')
          throw new PasswordHashUnavailableError('the admin password could not be hashed');
      }
      if (Date.now() >= deadline)
        throw new PasswordHashUnavailableError('the signup request ended before its password was hashed');
      const hash = await handedOver.next;
      if (hash) return hash;
      if (hash === null) throw new PasswordHashUnavailableError('the admin password could not be hashed');
    } finally {
      handedOver.stop();
    }
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
}
