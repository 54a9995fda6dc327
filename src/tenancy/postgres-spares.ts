import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { quoteIdent } from '../infra/db/postgres.js';
import { type PgAdminPools, pgErrorCode } from '../infra/db/pg-admin.js';
import type { Logger } from '../infra/logger.js';
import type { PostgresTemplates } from './postgres-templates.js';

export const SPARE_PREFIX = 'steeple_spare_';
const QUIET_MS = 1000;
const SPARE_RE = /^steeple_spare_v(\d+)_([0-9a-f]{8})_[0-9a-f]{8}$/;

/**
 * Spare tenant databases, cloned from the template ahead of demand so a signup renames one
 * (`ALTER DATABASE ... RENAME`, ~3 ms) instead of waiting for CREATE DATABASE (~50 ms, and
 * ~13/s per server under a burst). A spare's name, `steeple_spare_v<N>_<template hash>_<random>`,
 * is its only state: the rename is atomic, so instances that race for one get one winner each
 * and need no catalog rows. Spares count against no capacity; they are topped up per server to
 * `perServer` in the background once signups on it pause, and pruned when their template is
 * older than this process's.
 */
export class PostgresSpares {
  /** Per server: tenant clones waiting or running in this process. */
  private readonly cloning = new Map<string, number>();
  /** Per server: when a signup last claimed a spare or finished a clone. */
  private readonly lastDemand = new Map<string, number>();
  private readonly refills = new Map<string, Promise<void>>();
  private readonly prefix: string;
  private readonly closing = new AbortController();

  constructor(
    private readonly admin: PgAdminPools,
    private readonly templates: PostgresTemplates,
    private readonly perServer: number,
    private readonly log: Logger,
  ) {
    this.prefix = `${SPARE_PREFIX}v${templates.version}_${templates.hash.slice(0, 8)}_`;
  }

  /** False with TENANT_SPARE_DATABASES=0: no spare is made, claimed or dropped. */
  get enabled(): boolean {
    return this.perServer > 0;
  }

  /**
   * Renames a spare of the current template to `dbName`. False when there is none (the caller
   * clones the template); true also when `dbName` already exists (a retried create).
   */
  async claim(serverUrl: string, dbName: string): Promise<boolean> {
    if (!this.enabled) return false;
    this.holdBack(serverUrl);
    // One round trip: the server picks and renames. Spares with a session (a top-up's visit) are
    // passed over, as renaming one waits for it to end; 3D000: another instance renamed it
    // first; 55006: a session arrived meanwhile. Both names are ours (quoteIdent checks them).
    const prefix = quoteIdent(this.prefix).slice(1, -1);
    const target = quoteIdent(dbName).slice(1, -1);
    try {
      await this.admin.query(
        serverUrl,
        `DO $claim$
         DECLARE spare text;
         BEGIN
           FOR spare IN
             SELECT datname FROM pg_database d WHERE starts_with(datname, '${prefix}')
               AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)
             ORDER BY random() LIMIT 4
           LOOP
             BEGIN
               EXECUTE format('ALTER DATABASE %I RENAME TO %I', spare, '${target}');
               RETURN;
             EXCEPTION WHEN invalid_catalog_name OR object_in_use THEN NULL;
             END;
           END LOOP;
           RAISE EXCEPTION USING ERRCODE = 'no_data_found';
         END $claim$`,
      );
      return true;
    } catch (err) {
      const code = pgErrorCode(err);
      if (code === '42P04') return true; // the tenant's database exists: a retried create
      if (code === 'P0002') return false; // no spare left
      throw err;
    }
  }

  /** Runs a tenant's clone of the template, holding back top-ups on that server meanwhile. */
  async whileCloning<T>(serverUrl: string, clone: () => Promise<T>): Promise<T> {
    this.cloning.set(serverUrl, (this.cloning.get(serverUrl) ?? 0) + 1);
    try {
      return await clone();
    } finally {
      const left = (this.cloning.get(serverUrl) ?? 1) - 1;
      if (left > 0) this.cloning.set(serverUrl, left);
      else this.cloning.delete(serverUrl);
      this.holdBack(serverUrl);
    }
  }

  private holdBack(serverUrl: string): void {
    this.lastDemand.set(serverUrl, Date.now());
  }

  /**
   * How long a top-up clone must wait: it would compete with the signups being provisioned for
   * the server's disk and cores (a clone costs tens of ms of CPU and slows a new tenant's first
   * connection beside it), so it starts only once signups on the server pause. A burst is
   * CPU-bound: cloning during it only slows it down.
   */
  private quietIn(serverUrl: string): number {
    if (this.cloning.has(serverUrl)) return QUIET_MS;
    return (this.lastDemand.get(serverUrl) ?? 0) + QUIET_MS - Date.now();
  }

  /** Starts topping `serverUrl` up to `perServer` spares unless a top-up is running; never throws. */
  replenish(serverUrl: string): Promise<void> {
    if (!this.enabled || this.closing.signal.aborted) return Promise.resolve();
    let run = this.refills.get(serverUrl);
    if (!run) {
      run = this.topUp(serverUrl)
        .catch((err) => {
          if (!this.closing.signal.aborted) this.log.warn({ err }, 'could not top up spare tenant databases');
        })
        .finally(() => this.refills.delete(serverUrl));
      this.refills.set(serverUrl, run);
    }
    return run;
  }

  private async topUp(serverUrl: string): Promise<void> {
    const tpl = quoteIdent(await this.templates.ensure(serverUrl));
    await this.prune(serverUrl);
    for (;;) {
      const have = await this.admin.query(
        serverUrl,
        'select count(*)::int as n from pg_database where starts_with(datname, $1)',
        [this.prefix],
      );
      if (have.rows[0].n >= this.perServer) return;
      const wait = this.quietIn(serverUrl);
      if (wait > 0) {
        await sleep(wait, undefined, { signal: this.closing.signal, ref: false });
        continue;
      }
      const name = `${this.prefix}${randomBytes(4).toString('hex')}`;
      // Under the server lock, like a tenant's clone: a waiting signup is delayed by one clone at most.
      await this.templates.withServerLock(serverUrl, () =>
        this.admin.query(serverUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${tpl}`),
      );
      // Paid now rather than by the tenant's first connection in the signup. Best effort: an
      // unvisited spare works the same, its first session just starts slower.
      await this.admin
        .visit(serverUrl, name)
        .catch((err) => this.log.debug({ err }, 'could not visit a new spare tenant database'));
    }
  }

  /** Drops spares of an older template, or of another template of this version (a rebuilt one). */
  private async prune(serverUrl: string): Promise<void> {
    for (const name of await this.list(serverUrl)) {
      const m = SPARE_RE.exec(name);
      if (!m) continue;
      const version = Number(m[1]);
      if (
        version < this.templates.version ||
        (version === this.templates.version && !name.startsWith(this.prefix))
      )
        await this.dropOne(serverUrl, name);
    }
  }

  /** Drops every spare on `serverUrl`, of any version (a draining or full server); returns how many. */
  async dropAll(serverUrl: string): Promise<number> {
    const names = await this.list(serverUrl);
    for (const name of names) await this.dropOne(serverUrl, name);
    return names.length;
  }

  private async list(serverUrl: string): Promise<string[]> {
    const res = await this.admin.query(
      serverUrl,
      'select datname from pg_database where starts_with(datname, $1)',
      [SPARE_PREFIX],
    );
    return (res.rows as Array<{ datname: string }>).map((r) => r.datname);
  }

  private async dropOne(serverUrl: string, name: string): Promise<void> {
    // No FORCE: a spare nobody renamed has no sessions; one being claimed right now is left alone.
    await this.admin.query(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)}`).catch((err) => {
      if (pgErrorCode(err) !== '55006') throw err;
    });
  }

  /** Stops topping up and waits for the clones in flight (before the admin pools close). */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.refills.values()]);
  }
}
