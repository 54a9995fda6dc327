import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestStack } from '../../helpers/app.js';
import { tempDataDir, testConfig, testLogger } from '../../helpers/config.js';
import { createTestChurch } from '../../helpers/session.js';
import { createServices } from '../../../src/services.js';
import { sqliteTenantFile } from '../../../src/tenancy/tenant-id.js';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

// Files exist only with SQLite (catalog and churches); PostgreSQL keeps its own files.
describe('files under DATA_DIR are private to the owner', () => {
  const parent = tempDataDir();
  const dataDir = path.join(parent.dir, 'not-yet', 'data');
  let stack: TestStack;

  beforeAll(async () => {
    const config = testConfig(dataDir);
    const services = await createServices(config, testLogger());
    stack = { config, services, app: await buildTestApp(services.deps), close: async () => {} };
  });
  afterAll(async () => {
    await stack.app.close();
    await stack.services.close();
    parent.cleanup();
  });

  it('DATA_DIR and its folders are 0700; catalog, church databases and their -wal/-shm are 0600', async () => {
    const church = await createTestChurch(stack, { roles: ['admin'] });
    // A write through the app, so the church database has its -wal and -shm files.
    const res = await stack.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: church.as('admin'),
      payload: { firstName: 'Ana', lastName: 'Diaz' },
    });
    expect(res.statusCode).toBe(201);
    const tenantFile = sqliteTenantFile(dataDir, church.id);
    const files = [
      path.join(dataDir, 'catalog.db'),
      tenantFile,
      ...['-wal', '-shm'].flatMap((s) => [`${tenantFile}${s}`, path.join(dataDir, `catalog.db${s}`)]),
      path.join(dataDir, 'jwt-secret'),
    ];
    for (const f of files) expect([f, mode(f)]).toEqual([f, 0o600]);
    const dirs = [dataDir, path.dirname(dataDir), path.dirname(tenantFile)];
    for (const d of dirs) expect([d, mode(d)]).toEqual([d, 0o700]);
    // Templates a church is copied from are private too.
    for (const entry of fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      const p = path.join(entry.parentPath, entry.name);
      expect([p, mode(p)]).toEqual([p, entry.isDirectory() ? 0o700 : 0o600]);
    }
  });
});
