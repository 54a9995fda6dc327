import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AccessTokens } from '../../src/auth/access-token.js';
import { withDatabase } from '../../src/infra/db/postgres.js';
import { pgTenantDbName } from '../../src/tenancy/tenant-id.js';
import type { ChurchKey } from './church-traffic.js';
import { registrationBody, type BenchServer } from './server-process.js';

/**
 * Registers `count` churches through the real API (`POST /api/registrations?wait=true`), at most
 * `concurrency` at a time; a 503 (hashing queue full, busy) is retried after its Retry-After.
 * Returns the failures by status.
 */
export async function registerChurches(
  server: BenchServer,
  count: number,
  concurrency: number,
  log: (m: string) => void,
): Promise<Record<string, number>> {
  const tag = Date.now().toString(36);
  const failures: Record<string, number> = {};
  let next = 0;
  let done = 0;
  const t0 = Date.now();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      for (let attempt = 1; ; attempt++) {
        const res = await server.api('POST', '/api/registrations?wait=true', registrationBody(tag, n));
        if (res.status === 201) break;
        if (res.status === 503 && attempt < 5) {
          await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
          continue;
        }
        failures[res.status] = (failures[res.status] ?? 0) + 1;
        break;
      }
      if (++done % 1000 === 0) log(`${done} churches registered (${Math.round((Date.now() - t0) / 1000)} s)`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

/**
 * Access tokens for every church's admin, signed with the server's JWT secret as login would
 * sign them: logging in 10,000 admins would spend minutes of argon2 on nothing the bench measures.
 * Ids come from the catalog and each church's users table.
 */
export async function mintChurchKeys(
  churches: Array<{ id: string; adminId: string }>,
  jwtSecret: string,
): Promise<ChurchKey[]> {
  const tokens = new AccessTokens(new TextEncoder().encode(jwtSecret));
  const keys: ChurchKey[] = [];
  for (const c of churches) {
    const { token } = await tokens.sign({ userId: c.adminId, tenantId: c.id, role: 'admin' });
    keys.push({ id: c.id, token });
  }
  return keys;
}

const ADMIN = "select id from users where role = 'admin' order by created_at limit 1";

/** Church ids and admin ids of a SQLite deployment, read from its files. */
export function sqliteChurches(dataDir: string): Array<{ id: string; adminId: string }> {
  const catalog = new Database(path.join(dataDir, 'catalog.db'), { readonly: true });
  const ids = (
    catalog.prepare("select id from tenants where status = 'active'").all() as Array<{ id: string }>
  ).map((r) => r.id);
  catalog.close();
  return ids.map((id) => {
    const db = new Database(path.join(dataDir, 'tenants', `${id}.db`), { readonly: true });
    try {
      return { id, adminId: (db.prepare(ADMIN).get() as { id: string }).id };
    } finally {
      db.close();
    }
  });
}

/** Church ids and admin ids when the catalog and churches are on PostgreSQL. */
export async function postgresChurches(
  catalogUrl: string,
  serverUrl: string,
): Promise<Array<{ id: string; adminId: string }>> {
  const q = async (url: string, text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows as Array<{ id: string }>;
    } finally {
      await client.end();
    }
  };
  const out: Array<{ id: string; adminId: string }> = [];
  for (const { id } of await q(catalogUrl, "select id from tenants where status = 'active'")) {
    const [admin] = await q(withDatabase(serverUrl, pgTenantDbName(id)), ADMIN);
    out.push({ id, adminId: admin!.id });
  }
  return out;
}
