import { describe, expect, it } from 'vitest';
import { createPgPool } from '../../src/infra/db/postgres.js';
import { adminPgUrl, DIALECTS } from '../helpers/dialects.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { testLogger } from '../helpers/config.js';

describe.skipIf(!DIALECTS.includes('postgres'))('PostgreSQL behind a blackhole', () => {
  it('a query fails within statement timeout + 1 s instead of hanging, and the pool recovers', async () => {
    const target = new URL(adminPgUrl());
    const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(adminPgUrl());
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const pool = createPgPool(viaProxy.toString(), { max: 1, statementTimeoutMs: 500 }, testLogger());
    try {
      expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await proxy.setMode('blackhole');
      const t0 = Date.now();
      await expect(pool.query('select 2')).rejects.toThrow(/Query read timeout/);
      expect(Date.now() - t0).toBeLessThan(4000);
      await proxy.setMode('pass');
      // The held answer arrives once the partition heals; the client is usable again.
      let ok = false;
      for (let i = 0; i < 50 && !ok; i++) {
        ok = await pool.query('select 3 as three').then(
          (r) => r.rows[0]?.three === 3,
          () => false,
        );
        if (!ok) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ok).toBe(true);
    } finally {
      await pool.end();
      await proxy.close();
    }
  });
});
