import path from 'node:path';

// Lowercase canonical UUID (v7 is what the platform generates; any version is accepted so
// older ids keep working). Anchored, fixed length: nothing else reaches a path or identifier.
const TENANT_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a well-formed tenant id (strict lowercase UUID). */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_RE.test(value);
}

/** The directory holding every SQLite tenant file. */
export function tenantsDir(dataDir: string): string {
  return path.resolve(dataDir, 'tenants');
}

/** The SQLite file of a tenant; throws unless the id is valid and the path stays inside the directory. */
export function sqliteTenantFile(dataDir: string, tenantId: string): string {
  if (!isTenantId(tenantId)) throw new Error('invalid tenant id');
  const dir = tenantsDir(dataDir);
  const file = path.resolve(dir, `${tenantId}.db`);
  // Belt and braces: the regex already forbids separators, this forbids any future slip.
  if (path.dirname(file) !== dir) throw new Error('tenant file escapes the tenants directory');
  return file;
}

/** The PostgreSQL database name of a tenant: `steeple_t_<32 hex>` (42 chars, under the 63 limit). */
export function pgTenantDbName(tenantId: string): string {
  if (!isTenantId(tenantId)) throw new Error('invalid tenant id');
  return `steeple_t_${tenantId.replaceAll('-', '')}`;
}
