import { v7 as uuidv7 } from 'uuid';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { Logger } from '../../infra/logger.js';
import type { TenantDbManager } from '../../tenancy/tenant-db-manager.js';
import type { TenantProvisioning } from '../../tenancy/tenant-provisioning.js';
import type { TenantHandle, TenantLocation, TenantTarget } from '../../tenancy/tenant-driver.js';
import type { CatalogDb } from '../catalog-db.js';
import { findTenant } from '../tenant-lifecycle.js';
import type { Tenant } from '../catalog.table.js';
import { readChanges } from './change-capture.js';
import { changeCaptureFor } from './change-capture-for.js';
import {
  applyChanges,
  bulkCopy,
  type ChangedKeys,
  type CopyProgress,
  checksumMismatch,
  checksums,
  settleChanged,
  verifyFrozen,
} from './database-copy.js';
import { MoveErrors, MoveFailedError } from './move-errors.js';
import { type MoveObserver, noopMoveObserver } from './move-metrics.js';
import {
  findUnfinishedMove,
  getMove,
  insertMove,
  keptSourcesAt,
  renewMoveLease,
  setMoveStep,
  sourcesDue,
} from './tenant-move.repository.js';
import type { TenantMove } from './tenant-move.table.js';
import { isClaimed, LEASE_MS, leaseUntil, OWNER } from './move-lease.js';
import { isDisposableTarget, markTarget, unmarkTarget } from './target-mark.js';
import { switchCatalog } from './switch-catalog.js';
import { shapeDifference, tenantTables } from './tenant-tables.js';

/** Where a fault may be injected (tests): after each recorded step, and before a rollback. */
export type MovePoint = 'started' | 'prepared' | 'copied' | 'frozen' | 'verified' | 'switched' | 'rollback';

export interface TenantMoverDeps {
  catalog: CatalogDb;
  tenants: TenantDbManager;
  /** The drivers and schema version a target database is made with. */
  provisioning: Pick<TenantProvisioning, 'driverFor' | 'schemaVersion'>;
  logger: Logger;
  /** Days the old database is kept (TENANT_MOVE_GRACE_DAYS). */
  graceDays: number;
  observer?: MoveObserver;
  /** Called at each point; a throw there is a fault in the move (tests). */
  onPoint?: (point: MovePoint, move: TenantMove) => void | Promise<void>;
  /** How long one write freeze may last before the source takes writes again by itself. */
  freezeSeconds?: number;
}

export interface MoveResult {
  tenantId: string;
  /** Target server id; null for SQLite. */
  to: string | null;
  /** False when the church was already there (nothing was done). */
  moved: boolean;
  move?: TenantMove;
  /** Per table: rows and checksum, as verified on both sides. */
  tables: Record<string, string>;
  writePauseMs: number;
  /** Where the write pause went: freeze, last changes, verification, fence, switch (ms). */
  pauseMs?: Record<string, number>;
  durationMs: number;
}

// Catch-up rounds before the freeze stop once a round has fewer changes than this (the
// freeze then applies the rest) or after MAX_ROUNDS.
const SMALL_ROUND = 200;
const MAX_ROUNDS = 10;

/**
 * Moves a church's database to another PostgreSQL server or between SQLite and PostgreSQL,
 * online: change capture on the source, a bulk copy from one snapshot (verified by checksums),
 * catch-up rounds, then a short write freeze for the last changes, a verification and the
 * switch of the catalog pointer. Every step is recorded in `tenant_moves`; a re-run after a
 * crash rolls the unfinished move back (the church never left the source) and moves again.
 * See docs/operations.md.
 */
export class TenantMover {
  private readonly observer: MoveObserver;

  constructor(private readonly deps: TenantMoverDeps) {
    this.observer = deps.observer ?? noopMoveObserver;
  }

  /** Moves the church (id or slug) to server `to` (null: a SQLite file). */
  async move(ref: string, to: string | null): Promise<MoveResult> {
    const started = performance.now();
    const tenant = await findTenant(this.deps.catalog, ref);
    if (tenant.status !== 'active' && tenant.status !== 'suspended')
      throw MoveErrors.notMovable(tenant.status);
    await this.checkTarget(to);
    const unfinished = await findUnfinishedMove(this.deps.catalog, tenant.id);
    if (unfinished) {
      if (isClaimed(unfinished)) throw MoveErrors.inProgress(unfinished.owner);
      await this.rollback(unfinished, 'taken over after its process stopped');
    }
    const here = await findTenant(this.deps.catalog, tenant.id);
    if (here.server_id === to)
      return { tenantId: tenant.id, to, moved: false, tables: {}, writePauseMs: 0, durationMs: 0 };
    // A database kept from an earlier move where this one goes is older than the church's data.
    for (const kept of await keptSourcesAt(this.deps.catalog, tenant.id, to)) await this.dropSource(kept);

    const move: TenantMove = {
      id: uuidv7(),
      tenant_id: tenant.id,
      source_server_id: here.server_id,
      target_server_id: to,
      owner: OWNER,
      lease_until: leaseUntil(),
    } as TenantMove;
    try {
      await insertMove(this.deps.catalog, move);
    } catch (err) {
      if (isUniqueViolation(err)) throw MoveErrors.inProgress(null);
      throw err;
    }
    this.observer.started();
    const heartbeat = setInterval(() => {
      renewMoveLease(this.deps.catalog, move.id, leaseUntil()).catch(() => undefined);
    }, LEASE_MS / 3);
    heartbeat.unref();
    try {
      const result = await this.run((await getMove(this.deps.catalog, move.id))!, here);
      this.observer.ended('switched');
      return { ...result, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      const rolledBack = await this.rollbackAfter(move.id, err);
      this.observer.ended(rolledBack ? 'rolled_back' : 'failed');
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async run(move: TenantMove, tenant: Tenant): Promise<Omit<MoveResult, 'durationMs'>> {
    const { catalog, tenants } = this.deps;
    await this.point('started', move);
    // The source is brought to this release's schema (the manager migrates on open), so both
    // sides have one shape and rows copy column for column.
    await tenants.withTenant(tenant.id, async () => undefined);
    const source = await this.open(move, 'source');
    let target: TenantHandle | undefined;
    try {
      const tables = await tenantTables(source.db);
      const capture = changeCaptureFor(source.db);
      await capture.install(source.db, tables);
      const targetAt = await this.target(move, 'target');
      // A database already there may be the source itself (one server registered twice).
      const existing = await this.openIfExists(move, 'target');
      if (existing) {
        await existing.close();
        throw new MoveFailedError('a database of this church already exists at the target');
      }
      await this.deps.provisioning.driverFor(targetAt).create(targetAt);
      target = await this.open(move, 'target');
      await markTarget(target.db, move.id);
      const diff = shapeDifference(tables, await tenantTables(target.db));
      if (diff) throw new MoveFailedError(`the target's schema differs from the source's: ${diff}`);
      await setMoveStep(catalog, move.id, 'prepared');
      await this.point('prepared', move);

      const progress: CopyProgress = { rows: 0, bytes: 0 };
      const copied = await bulkCopy(source.db, target.db, tables, progress);
      const mismatch = checksumMismatch(copied, await checksums(target.db, tables));
      if (mismatch) throw new MoveFailedError(`the copy does not match its source: ${mismatch}`);
      await setMoveStep(catalog, move.id, 'copied', {
        rows_copied: progress.rows,
        bytes_copied: progress.bytes,
      });
      await this.point('copied', move);

      // Rows written since the snapshot, applied on the target but not yet found equal there.
      const pending: ChangedKeys = new Map();
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const applied = await applyChanges(source.db, target.db, tables, pending, progress);
        await settleChanged(source.db, target.db, tables, pending);
        if (applied < SMALL_ROUND) break;
      }

      const freezeStarted = performance.now();
      const pauseMs: Record<string, number> = {};
      let lap = freezeStarted;
      const phase = (name: string) => {
        const now = performance.now();
        pauseMs[name] = Math.round(now - lap);
        lap = now;
      };
      await capture.freeze(source.db, tables, this.deps.freezeSeconds ?? 60);
      await setMoveStep(catalog, move.id, 'frozen');
      await this.point('frozen', move);
      phase('freeze');
      await applyChanges(source.db, target.db, tables, pending, progress);
      phase('lastChanges');
      const differs = await verifyFrozen(source.db, target.db, tables, pending);
      if (differs) throw new MoveFailedError(`verification failed: ${differs}`);
      await this.point('verified', move);
      phase('verify');
      // Fenced for good before the catalog moves on: an instance that still holds the old
      // handle can read from it, never write to it.
      await capture.fenceForever(source.db);
      if ((await readChanges(source.db, 1)).length)
        throw new MoveFailedError('a write reached the source after the freeze (it lasted too long)');
      phase('fence');
      const switched = await switchCatalog(catalog, move, {
        schemaVersion: this.deps.provisioning.schemaVersion,
        graceDays: this.deps.graceDays,
        progress,
        writePauseMs: Math.round(performance.now() - freezeStarted),
      });
      tenants.evict(tenant.id);
      phase('switch');
      await unmarkTarget(target.db).catch((err) =>
        this.deps.logger.warn(
          { err, tenantId: tenant.id },
          'could not remove the move mark of a moved church',
        ),
      );
      const writePauseMs = Math.round(performance.now() - freezeStarted);
      this.observer.copied(progress.bytes);
      this.observer.writePause(writePauseMs / 1000);
      await this.point('switched', switched);
      return {
        tenantId: tenant.id,
        to: move.target_server_id,
        moved: true,
        move: switched,
        tables: Object.fromEntries(copied),
        writePauseMs,
        pauseMs,
      };
    } finally {
      await target?.close().catch(() => undefined);
      await source.close().catch(() => undefined);
    }
  }

  // After a failure: roll back unless the switch happened (then the move is done). True when
  // the move ended rolled back; false when the rollback failed too (a re-run finishes it).
  private async rollbackAfter(moveId: string, err: unknown): Promise<boolean> {
    const move = await getMove(this.deps.catalog, moveId).catch(() => undefined);
    if (!move || move.step === 'switched') return move?.step === 'switched';
    try {
      await this.rollback(move, describe(err));
      return true;
    } catch (rollbackErr) {
      this.deps.logger.error(
        { err: rollbackErr, tenantId: move.tenant_id, moveId },
        'church move rollback failed; re-run the move to finish it',
      );
      await setMoveStep(this.deps.catalog, moveId, move.step, {
        error: `${describe(err)}; rollback failed: ${describe(rollbackErr)}`,
        owner: null,
        lease_until: null,
      }).catch(() => undefined);
      return false;
    }
  }

  /**
   * Undoes an unfinished move: the source loses its triggers and fence (so it takes writes
   * again), the target database is dropped. Idempotent; refuses to drop where the church is.
   */
  async rollback(move: TenantMove, reason: string): Promise<void> {
    if (!['started', 'prepared', 'copied', 'frozen'].includes(move.step)) return;
    await this.point('rollback', move);
    const tenant = await findTenant(this.deps.catalog, move.tenant_id);
    if (tenant.server_id !== move.source_server_id)
      throw new MoveFailedError('the church is not at the move source; refusing to roll back');
    const source = await this.open(move, 'source');
    try {
      const tables = await tenantTables(source.db);
      await changeCaptureFor(source.db).remove(source.db, tables);
    } finally {
      await source.close().catch(() => undefined);
    }
    const target = await this.openIfExists(move, 'target');
    if (target) {
      const disposable = await isDisposableTarget(target.db, move.id).finally(() => target.close());
      const targetAt = await this.target(move, 'target');
      if (disposable) await this.deps.provisioning.driverFor(targetAt).drop(targetAt);
      else
        this.deps.logger.error(
          { tenantId: move.tenant_id, moveId: move.id },
          'move target holds church data it did not copy; left in place',
        );
    }
    await setMoveStep(this.deps.catalog, move.id, 'rolled_back', {
      error: reason.slice(0, 2000),
      owner: null,
      lease_until: null,
    });
    this.deps.logger.warn({ tenantId: move.tenant_id, moveId: move.id, reason }, 'church move rolled back');
  }

  /** Drops the kept source of a switched move, unless the church is there; verified gone. */
  async dropSource(move: TenantMove): Promise<void> {
    if (move.step !== 'switched') return;
    const tenant = await findTenant(this.deps.catalog, move.tenant_id).catch(() => undefined);
    if (tenant && tenant.server_id === move.source_server_id && tenant.status !== 'deleted')
      throw new MoveFailedError('the church is served from the kept source; refusing to drop it');
    const at = await this.target(move, 'source');
    await this.deps.provisioning.driverFor(at).drop(at);
    await setMoveStep(this.deps.catalog, move.id, 'source_dropped');
    this.deps.logger.info(
      { tenantId: move.tenant_id, moveId: move.id },
      'moved church: old database dropped',
    );
  }

  /** Drops every kept source past TENANT_MOVE_GRACE_DAYS; failures are logged and retried next time. */
  async dropDueSources(): Promise<number> {
    let dropped = 0;
    for (const move of await sourcesDue(this.deps.catalog)) {
      try {
        await this.dropSource(move);
        dropped++;
      } catch (err) {
        this.deps.logger.error(
          { err, tenantId: move.tenant_id, moveId: move.id },
          "could not drop a moved church's old database",
        );
      }
    }
    return dropped;
  }

  private async point(point: MovePoint, move: TenantMove): Promise<void> {
    await this.deps.onPoint?.(point, move);
  }

  private async checkTarget(to: string | null): Promise<void> {
    if (to === null) return;
    const server = await this.deps.catalog
      .selectFrom('db_servers')
      .selectAll()
      .where('id', '=', to)
      .executeTakeFirst();
    if (!server) throw MoveErrors.unknownServer(to);
    if (server.status !== 'active' || server.tenant_count >= server.capacity)
      throw MoveErrors.serverNotTakingChurches(to);
  }

  private async target(move: TenantMove, side: 'source' | 'target'): Promise<TenantTarget> {
    const serverId = side === 'source' ? move.source_server_id : move.target_server_id;
    return { tenantId: move.tenant_id, serverUrl: serverId ? await this.serverUrl(serverId) : null };
  }

  // The move's own handle, outside the manager's cache: it holds a snapshot and writes a fence.
  private async open(move: TenantMove, side: 'source' | 'target'): Promise<TenantHandle> {
    const serverId = side === 'source' ? move.source_server_id : move.target_server_id;
    const location: TenantLocation = {
      tenantId: move.tenant_id,
      server: serverId ? { id: serverId, url: await this.serverUrl(serverId) } : null,
      schemaVersion: this.deps.provisioning.schemaVersion,
    };
    return this.deps.provisioning.driverFor({ serverUrl: location.server?.url ?? null }).open(location);
  }

  private async openIfExists(move: TenantMove, side: 'source' | 'target'): Promise<TenantHandle | undefined> {
    try {
      return await this.open(move, side);
    } catch (err) {
      const { code, message } = (err ?? {}) as { code?: string; message?: string };
      // No such database; no such file; no tenants directory yet (better-sqlite3 says so).
      if (code === '3D000' || code === 'SQLITE_CANTOPEN' || /directory does not exist/.test(message ?? ''))
        return undefined;
      throw err;
    }
  }

  private async serverUrl(id: string): Promise<string> {
    const s = await this.deps.catalog
      .selectFrom('db_servers')
      .select('url')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!s) throw MoveErrors.unknownServer(id);
    return s.url;
  }
}

function describe(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}
