import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { TenantDatabase } from '../tenancy/tenant-database.js';
import type { UserRow, UsersTable } from './auth.tables.js';
import type { Role } from './roles.js';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** A user as the API shows it: never the hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** A PHC string from `hashPassword`, never a plain password. */
  passwordHash: string;
  id?: string;
}

function newUserRow(input: NewUser): UserRow {
  const now = new Date().toISOString();
  return {
    id: input.id ?? uuidv7(),
    email: normalizeEmail(input.email),
    name: input.name,
    role: input.role,
    password_hash: input.passwordHash,
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Inserts a user (used by /api/users and by church registration for the first admin).
 * A duplicate email raises the database's unique violation; callers map it to 409.
 */
export async function createUser(db: Db, input: NewUser): Promise<UserRow> {
  const row = newUserRow(input);
  await db.insertInto('users').values(row).execute();
  return row;
}

/** Inserts the user unless one with that email exists (registration's idempotent first admin). */
export async function createUserIfAbsent(db: Db, input: NewUser): Promise<void> {
  await db
    .insertInto('users')
    .values(newUserRow(input))
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export type UserChanges = Partial<Pick<UsersTable, 'name' | 'role' | 'password_hash' | 'disabled'>>;

/** Updates and returns the row, or undefined when there is no such user. */
export async function updateUser(db: Db, id: string, changes: UserChanges): Promise<UserRow | undefined> {
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
  return findUserById(db, id);
}

/** Users ordered by id (UUIDv7: creation order), after an exclusive cursor id. */
export function listUsers(db: Db, q: { afterId?: string; limit: number }): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('id').limit(q.limit);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  return query.execute();
}

/**
 * The ids of the enabled admins, locked until `trx` ends: a no-op update takes their row locks
 * on PostgreSQL and the database's write lock on SQLite (so it must come before any read in
 * `trx`). Two writes that could each remove an admin then run one after the other, and the
 * second sees the first's result: a church can never lose its last admin to a race.
 */
export async function lockActiveAdmins(trx: Transaction<TenantDatabase>): Promise<string[]> {
  await trx
    .updateTable('users')
    .set({ role: 'admin' })
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .execute();
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .execute();
  return rows.map((r) => r.id);
}
