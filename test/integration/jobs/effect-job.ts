import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import { openSqlite } from '../../../src/infra/db/sqlite.js';
import { defineJob } from '../../../src/jobs/job-definition.js';

/** A side-effect table the tests control: `runs` logs every handler run, `effects` the claimed effect. */
interface EffectDatabase {
  runs: { key: string; pid: number; attempt: number };
  effects: { key: string; at: string };
  requested: { key: string; at: string };
}

export type EffectDb = Kysely<EffectDatabase>;

export async function openEffectDb(file: string): Promise<EffectDb> {
  const db = openSqlite<EffectDatabase>(file);
  await sql`CREATE TABLE IF NOT EXISTS runs (key TEXT NOT NULL, pid INTEGER NOT NULL, attempt INTEGER NOT NULL)`.execute(
    db,
  );
  await sql`CREATE TABLE IF NOT EXISTS effects (key TEXT PRIMARY KEY, at TEXT NOT NULL)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS requested (key TEXT PRIMARY KEY, at TEXT NOT NULL)`.execute(db);
  return db;
}

export const EFFECT_JOB = 'test-effect';

/**
 * Stands in for registration provisioning: a durable request row is written before enqueue,
 * the handler is idempotent and its effect is an atomic claim on the idempotency key, so a
 * redelivered or re-dispatched job never repeats the effect.
 */
export function effectJob(db: EffectDb, opts: { sleepMs?: number; failFirst?: number } = {}) {
  return defineJob({
    name: EFFECT_JOB,
    payload: z.object({ key: z.string().min(1), tenantId: z.string().min(1) }),
    options: { attempts: 3, backoffMs: 50 },
    async handler({ key }, run) {
      await db.insertInto('runs').values({ key, pid: process.pid, attempt: run.attempt }).execute();
      if (opts.sleepMs) await new Promise((r) => setTimeout(r, opts.sleepMs));
      if (opts.failFirst && run.attempt <= opts.failFirst) throw new Error('planned failure');
      await db
        .insertInto('effects')
        .values({ key, at: new Date().toISOString() })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    },
  });
}

export async function countBy(db: EffectDb, table: 'runs' | 'effects'): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom(table)
    .select(['key', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('key')
    .execute();
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}
