import { v7 as uuidv7 } from 'uuid';
import type { AuthRuntime } from '../../src/auth/create-auth.js';
import { hashPassword } from '../../src/auth/password.js';
import type { Role } from '../../src/auth/roles.js';
import { createUser } from '../../src/auth/user.repository.js';
import type { TenantStatus } from '../../src/platform/catalog.table.js';
import type { TestStack } from './app.js';
import { adminPgUrl, type Dialect } from './dialects.js';
import { addDbServer } from '../../src/platform/db-servers.js';

/** The password every test user gets unless one is given. */
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: 'Bearer ...' }` for `app.inject({ headers })`. */
  headers: { authorization: string };
}

export interface TestChurch {
  id: string;
  slug: string;
  name: string;
  /** One user per role asked for (by default all four), each with a fresh session. */
  users: Record<Role, TestUser>;
  /** Shorthand: the Bearer header of the user with that role. */
  as(role: Role): { authorization: string };
}

export interface TestChurchOptions {
  slug?: string;
  name?: string;
  /** Default: admin, finance, staff, viewer. */
  roles?: readonly Role[];
  /** Catalog status after creation (default active). */
  status?: TenantStatus;
  /** Place the church's database on this PostgreSQL server (default: a SQLite file). */
  server?: { id: string; url: string };
}

// One argon2 hash of TEST_PASSWORD for every user that uses it: keeps helpers fast.
let defaultHash: Promise<string> | undefined;

/**
 * Creates an active church on a test stack (catalog row, tenant database, church profile row)
 * and users of the given roles with access and refresh tokens. Tenant databases are SQLite files
 * of the stack's DATA_DIR.
 */
export async function createTestChurch(stack: TestStack, opts: TestChurchOptions = {}): Promise<TestChurch> {
  const deps = stack.services.deps;
  const id = uuidv7();
  const slug = opts.slug ?? `church-${id.slice(-12)}`;
  const name = opts.name ?? `Test Church ${slug}`;
  const now = new Date().toISOString();
  await deps.catalog
    .insertInto('tenants')
    .values({
      id,
      slug,
      name,
      status: 'provisioning',
      server_id: opts.server?.id ?? null,
      timezone: 'America/Chicago',
      currency: 'USD',
      created_at: now,
      updated_at: now,
      last_active_at: null,
    })
    .execute();
  const target = { tenantId: id, serverUrl: opts.server?.url ?? null };
  const church = { id, slug, name };
  const users = {} as Record<Role, TestUser>;
  try {
    const { schemaVersion } = await deps.provisioning.createDatabase(target);
    await deps.catalog
      .updateTable('tenants')
      .set({ status: 'active', schema_version: schemaVersion })
      .where('id', '=', id)
      .execute();
    await deps.tenants.withTenant(id, (db) =>
      db
        .insertInto('church')
        .values({
          id,
          slug,
          name,
          timezone: 'America/Chicago',
          currency: 'USD',
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    for (const role of opts.roles ?? (['admin', 'finance', 'staff', 'viewer'] as const)) {
      users[role] = await addTestUser(stack, church, role);
    }
  } catch (err) {
    // A half-made church must not leave a database behind on a shared PostgreSQL server.
    if (target.serverUrl) await deps.provisioning.dropDatabase(target).catch(() => {});
    throw err;
  }
  if (opts.status && opts.status !== 'active') await setChurchStatus(stack, id, opts.status);
  return {
    ...church,
    users,
    as: (role) => {
      const u = users[role];
      if (!u) throw new Error(`createTestChurch: no ${role} user was created`);
      return u.headers;
    },
  };
}

/** Adds a user to a church created by createTestChurch and opens a session for them. */
export async function addTestUser(
  stack: TestStack,
  church: { id: string; slug: string; name: string },
  role: Role,
  opts: { email?: string; name?: string; password?: string } = {},
): Promise<TestUser> {
  const deps = stack.services.deps;
  const password = opts.password ?? TEST_PASSWORD;
  if (password === TEST_PASSWORD) defaultHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = password === TEST_PASSWORD ? await defaultHash! : await hashPassword(password);
  const email = opts.email ?? `${role}-${uuidv7().slice(-12)}@${church.slug}.example`;
  const name = opts.name ?? `Test ${role}`;
  const auth = authOf(stack);
  const session = await deps.tenants.withTenant(church.id, async (db) => {
    const user = await createUser(db, { email, name, role, passwordHash });
    return auth.service.startSession(db, user.id, { id: church.id, slug: church.slug, name: church.name });
  });
  return {
    id: session.user.id,
    email: session.user.email,
    name,
    role,
    password,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    headers: { authorization: `Bearer ${session.accessToken}` },
  };
}

/**
 * Where a test church's database goes on a dialect: a SQLite file of the stack (undefined), or
 * for `postgres` the test PostgreSQL server, registered in the stack's catalog.
 */
export async function tenantServerFor(
  stack: TestStack,
  dialect: Dialect,
): Promise<{ id: string; url: string } | undefined> {
  if (dialect === 'sqlite') return undefined;
  return addDbServer(stack.services.deps.catalog, adminPgUrl());
}

/** Changes a church's catalog status (suspend, delete); the next request sees it. */
export async function setChurchStatus(
  stack: TestStack,
  tenantId: string,
  status: TenantStatus,
): Promise<void> {
  await stack.services.deps.catalog
    .updateTable('tenants')
    .set({ status, updated_at: new Date().toISOString() })
    .where('id', '=', tenantId)
    .execute();
}

function authOf(stack: TestStack): AuthRuntime {
  return (stack.services.deps as { auth: AuthRuntime }).auth;
}
