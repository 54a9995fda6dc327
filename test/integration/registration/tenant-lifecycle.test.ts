import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TenantTarget } from '../../../src/tenancy/tenant-driver.js';
import { TenantLifecycle } from '../../../src/platform/tenant-lifecycle.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createRegistrationHarness, type RegistrationHarness } from '../../helpers/registration-harness.js';

let h: RegistrationHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function readyChurch(harness: RegistrationHarness, slug: string): Promise<string> {
  const reg = await harness.service.submit({
    church: { name: slug, slug, timezone: 'UTC', currency: 'USD' },
    admin: { name: 'Ana', email: `ana@${slug}.example`, password: 'correct horse battery' },
  });
  expect((await harness.service.waitFor(reg.id, 20_000)).status).toBe('ready');
  return reg.tenant_id;
}

describe.each(DIALECTS)('church deletion scheduling (%s catalog, SQLite churches)', (dialect) => {
  function lifecycle(harness: RegistrationHarness, failDrops = 0) {
    let failures = failDrops;
    return new TenantLifecycle({
      catalog: harness.catalog,
      provisioning: {
        dropDatabase: async (t: TenantTarget) => {
          if (failures-- > 0) throw new Error('disk busy');
          await harness.provisioning.dropDatabase(t);
        },
      },
      logger: harness.provisioner.logger,
      dataDir: harness.dataDir,
      deleteGraceDays: 30,
      exportTenant: async (_id, out) => {
        out.end('{}');
        await new Promise((r) => out.once('finish', r));
      },
    });
  }
  const file = (id: string) => path.join(h!.dataDir, 'tenants', `${id}.db`);

  it('keeps the database through the grace period, whatever else updates the church', async () => {
    h = await createRegistrationHarness(dialect);
    const id = await readyChurch(h, 'graceful');
    const life = lifecycle(h);
    const { tenant } = await life.requestDelete('graceful');
    expect(tenant.status).toBe('deleting');
    await life.updateProfile(id, { name: 'Renamed', timezone: 'UTC', currency: 'USD' });
    expect(await life.purgeExpired()).toBe(0);
    expect(fs.existsSync(file(id))).toBe(true);
  });

  it('a delete --now whose drop fails is finished by the next reconciler run, freeing the slug', async () => {
    h = await createRegistrationHarness(dialect);
    const id = await readyChurch(h, 'stubborn');
    const life = lifecycle(h, 1);
    await expect(life.requestDelete('stubborn', { now: true })).rejects.toThrow('disk busy');
    expect((await life.find(id)).status).toBe('deleting');
    expect(await life.purgeExpired()).toBe(1);
    const gone = await life.find(id);
    expect(gone.status).toBe('deleted');
    expect(gone.slug).not.toBe('stubborn');
    expect(fs.existsSync(file(id))).toBe(false);
    await readyChurch(h, 'stubborn');
  });
});
