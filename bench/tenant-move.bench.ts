import { v7 } from 'uuid';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { quoteIdent } from '../src/infra/db/postgres.js';
import { createLogger } from '../src/infra/logger.js';
import { addDbServer, setDbServerStatus } from '../src/platform/db-servers.js';
import { planEvacuation, runEvacuation } from '../src/platform/tenant-move/evacuation.js';
import { createServices } from '../src/services.js';
import { pgTenantDbName } from '../src/tenancy/tenant-id.js';
import type { TestStack } from '../test/helpers/app.js';
import { addPeople, seedEveryTable } from '../test/helpers/church-data.js';
import { tempDataDir } from '../test/helpers/config.js';
import { pgAdmin, TEST_PG_URL } from '../test/helpers/pg-scratch.js';
import { createTestChurch } from '../test/helpers/session.js';
import { type Bench, round } from './lib/bench.js';

const PEOPLE = 10_000;
const GIFTS = 100_000;
const SMALL_CHURCHES = 100;
const EVACUATION_CONCURRENCY = 4;
const PAUSE_GOAL_MS = 2000;
// The second server of the evacuation (as in the tests: TEST_PG2_URL, else port 5448).
const PG2_URL = process.env.TEST_PG2_URL ?? 'postgres://postgres@127.0.0.1:5448/postgres';

/** Adds `n` one-fund gifts (a donation and its split) to a church, in one transaction. */
async function addGifts(stack: TestStack, tenantId: string, people: string[], n: number): Promise<void> {
  await stack.services.deps.tenants.withTenant(tenantId, async (tdb) => {
    // biome-ignore lint/suspicious/noExplicitAny: bulk rows straight into the tables
    const db = tdb as any;
    const at = new Date().toISOString();
    const fund = v7();
    const batch = v7();
    await db.transaction().execute(async (trx: typeof db) => {
      await trx
        .insertInto('funds')
        .values({ id: fund, name: 'Bench', tax_deductible: 1, created_at: at, updated_at: at })
        .execute();
      await trx
        .insertInto('batches')
        .values({
          id: batch,
          name: 'Bench',
          date: '2026-01-04',
          status: 'open',
          created_at: at,
          updated_at: at,
        })
        .execute();
      for (let i = 0; i < n; i += 1000) {
        const ids = Array.from({ length: Math.min(1000, n - i) }, () => v7());
        await trx
          .insertInto('donations')
          .values(
            ids.map((id, j) => ({
              id,
              person_id: people[(i + j) % people.length],
              batch_id: batch,
              received_on: '2026-01-04',
              method: 'check',
              check_number: String(1000 + i + j),
              amount_cents: 2500 + ((i + j) % 100),
              created_at: at,
              updated_at: at,
            })),
          )
          .execute();
        await trx
          .insertInto('donation_splits')
          .values(
            ids.map((id, j) => ({
              donation_id: id,
              position: 0,
              fund_id: fund,
              amount_cents: 2500 + ((i + j) % 100),
            })),
          )
          .execute();
      }
    });
  });
}

const bench: Bench = {
  name: 'tenant-move',
  title: `Moving a church of ${PEOPLE} people and ${GIFTS} gifts from SQLite to PostgreSQL while a client writes; evacuating ${SMALL_CHURCHES} small churches from one PostgreSQL server to another.`,
  async run({ log }) {
    const data = tempDataDir();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: data.dir,
      TENANT_SPARE_DATABASES: '0',
      TENANT_MOVE_GRACE_DAYS: '0',
    });
    const services = await createServices(config, createLogger('silent'), {
      workers: false,
      background: false,
      prewarm: false,
    });
    const app = await buildApp(services.deps);
    const stack: TestStack = { config, services, app, close: async () => undefined };
    const { catalog } = services.deps;
    const { mover } = services.deps.moves;
    const made: Array<{ id: string }> = [];
    const serverA = await addDbServer(catalog, TEST_PG_URL);
    const serverB = await addDbServer(catalog, PG2_URL);
    try {
      // 1. One large church, SQLite -> PostgreSQL, with a client writing throughout.
      const church = await createTestChurch(stack, { roles: ['staff'] });
      made.push(church);
      let t0 = performance.now();
      const people = await services.deps.tenants.withTenant(church.id, (db) => addPeople(db, PEOPLE));
      await addGifts(stack, church.id, people, GIFTS);
      log(`seeded ${PEOPLE} people and ${GIFTS} gifts in ${round((performance.now() - t0) / 1000, 1)} s`);

      let moving = true;
      const acked: string[] = [];
      let refused = 0;
      let lastOk = performance.now();
      let longestGapMs = 0;
      const writer = (async () => {
        for (let i = 0; moving; i++) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/people',
            headers: church.as('staff'),
            payload: { firstName: 'Bench', lastName: `Writer${i}` },
          });
          const now = performance.now();
          if (res.statusCode === 201) {
            acked.push(res.json().data.id);
            longestGapMs = Math.max(longestGapMs, now - lastOk);
            lastOk = now;
          } else if (res.statusCode === 503) {
            refused++;
            // A client honouring Retry-After: 1 would wait a second; this one retries at once.
          } else throw new Error(`write failed: ${res.statusCode} ${res.body}`);
        }
      })();
      t0 = performance.now();
      const result = await mover.move(church.id, serverB.id);
      const totalMs = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 200));
      moving = false;
      await writer;
      const landed = await services.deps.tenants.withTenant(church.id, (db) =>
        db.selectFrom('people').select('id').where('first_name', '=', 'Bench').execute(),
      );
      const lost = acked.length - new Set(landed.map((r) => r.id)).size;
      log(
        `moved ${result.move?.rows_copied} rows in ${round(totalMs / 1000, 2)} s; writes refused for ${result.writePauseMs} ms ` +
          `(longest gap between acknowledged writes ${round(longestGapMs)} ms); ${acked.length} writes acknowledged, ${refused} refused, ${lost} lost`,
      );
      log(`write pause by phase (ms): ${JSON.stringify(result.pauseMs)}`);

      // 2. Evacuation: small churches on server A (the large one is on B), drained, moved to B.
      t0 = performance.now();
      for (let i = 0; i < SMALL_CHURCHES; i++) {
        const c = await createTestChurch(stack, { server: serverA, roles: ['admin'] });
        made.push(c);
        await services.deps.tenants.withTenant(c.id, (db) => seedEveryTable(db, c.users.admin.id));
      }
      await catalog
        .updateTable('db_servers')
        .set({ tenant_count: SMALL_CHURCHES })
        .where('id', '=', serverA.id)
        .execute();
      log(
        `made ${SMALL_CHURCHES} small churches on server A in ${round((performance.now() - t0) / 1000, 1)} s`,
      );
      await setDbServerStatus(catalog, serverA.id, 'draining');
      const plan = await planEvacuation(catalog, serverA.id, serverB.id);
      const evac = await runEvacuation(mover, plan, { concurrency: EVACUATION_CONCURRENCY });
      log(`evacuated ${evac.moved} (${evac.failed} failed) in ${round(evac.durationMs / 1000, 1)} s`);

      return {
        metrics: {
          people: PEOPLE,
          gifts: GIFTS,
          rowsCopied: Number(result.move?.rows_copied ?? 0),
          mbCopied: round(Number(result.move?.bytes_copied ?? 0) / 1e6, 1),
          moveTotalS: round(totalMs / 1000, 2),
          writePauseMs: result.writePauseMs,
          ...Object.fromEntries(Object.entries(result.pauseMs ?? {}).map(([k, v]) => [`pause_${k}Ms`, v])),
          longestGapBetweenWritesMs: round(longestGapMs),
          writesAcknowledged: acked.length,
          writesRefused: refused,
          writesLost: lost,
          smallChurches: SMALL_CHURCHES,
          evacuationConcurrency: EVACUATION_CONCURRENCY,
          evacuationS: round(evac.durationMs / 1000, 1),
          evacuationFailed: evac.failed,
        },
        goals: [
          {
            label: `write pause moving ${PEOPLE} people + ${GIFTS} gifts SQLite -> PostgreSQL`,
            target: `<= ${PAUSE_GOAL_MS} ms, no acknowledged write lost`,
            actual: `${result.writePauseMs} ms, ${lost} lost`,
            pass: result.writePauseMs <= PAUSE_GOAL_MS && lost === 0,
          },
          {
            label: `evacuate ${SMALL_CHURCHES} small churches`,
            target: '0 failed',
            actual: `${round(evac.durationMs / 1000, 1)} s, ${evac.failed} failed`,
            pass: evac.failed === 0,
          },
        ],
        notes: [
          'In one process through TenantMover (what `steeple tenants move` and `steeple servers evacuate` run), excluding process start-up.',
          'writePauseMs: from the freeze of the source to the switch of the catalog, as the mover measures it; longestGapBetweenWritesMs: the longest time between two acknowledged writes of a client retrying at once (inject, same process).',
          `Evacuation from ${new URL(TEST_PG_URL).host} to ${new URL(PG2_URL).host}, ${EVACUATION_CONCURRENCY} churches at a time; each church has a row in every table.`,
        ],
      };
    } finally {
      await app.close();
      await services.close();
      for (const c of made)
        for (const url of [TEST_PG_URL, PG2_URL])
          await pgAdmin(
            `DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(c.id))} WITH (FORCE)`,
            [],
            url,
          ).catch(() => undefined);
      data.cleanup();
    }
  },
};

export default bench;
