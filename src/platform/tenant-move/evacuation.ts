import type { CatalogDb } from '../catalog-db.js';
import { listDbServers } from '../db-servers.js';
import { MoveErrors } from './move-errors.js';
import type { MoveResult, TenantMover } from './tenant-mover.js';
import { Errors } from '../../errors/app-error.js';

export interface EvacuationStep {
  tenantId: string;
  slug: string;
  /** Target server id; null for SQLite. */
  to: string | null;
}

export interface EvacuationPlan {
  serverId: string;
  moves: EvacuationStep[];
  /** Churches on the server that are not moved (being deleted, provisioning, failed). */
  skipped: Array<{ tenantId: string; slug: string; status: string }>;
}

/**
 * Where each church of a draining server goes: to `to` when given (a server id, or null for
 * SQLite), else by the placement rule (the active server with the fewest churches and room),
 * counting the churches already planned.
 */
export async function planEvacuation(
  catalog: CatalogDb,
  serverId: string,
  to?: string | null,
): Promise<EvacuationPlan> {
  const servers = await listDbServers(catalog);
  const server = servers.find((s) => s.id === serverId);
  if (!server) throw MoveErrors.unknownServer(serverId);
  if (server.status !== 'draining')
    throw Errors.conflict(
      `Drain the server first (steeple servers drain ${serverId}): it still takes new churches.`,
    );
  const churches = await catalog
    .selectFrom('tenants')
    .select(['id', 'slug', 'status'])
    .where('server_id', '=', serverId)
    .orderBy('slug')
    .execute();
  const room = new Map(
    servers
      .filter((s) => s.status === 'active' && s.id !== serverId)
      .map((s) => [s.id, { count: s.tenant_count, capacity: s.capacity }]),
  );
  if (typeof to === 'string' && !room.has(to)) throw MoveErrors.serverNotTakingChurches(to);
  const plan: EvacuationPlan = { serverId, moves: [], skipped: [] };
  for (const c of churches) {
    if (c.status !== 'active' && c.status !== 'suspended') {
      plan.skipped.push({ tenantId: c.id, slug: c.slug, status: c.status });
      continue;
    }
    const target = to === undefined ? fewest(room) : to;
    if (target === undefined)
      throw Errors.conflict('No active database server has room: add one, or evacuate with --to sqlite.');
    if (target) {
      const r = room.get(target)!;
      if (r.count >= r.capacity) throw MoveErrors.serverNotTakingChurches(target);
      r.count++;
    }
    plan.moves.push({ tenantId: c.id, slug: c.slug, to: target });
  }
  return plan;
}

function fewest(room: Map<string, { count: number; capacity: number }>): string | undefined {
  let best: string | undefined;
  for (const [id, r] of room) {
    if (r.count >= r.capacity) continue;
    if (!best || r.count < room.get(best)!.count) best = id;
  }
  return best;
}

export interface EvacuationResult {
  tenantId: string;
  slug: string;
  to: string | null;
  status: 'moved' | 'failed';
  durationMs: number;
  error?: string;
}

/** Runs a plan's moves, `concurrency` at a time; one church's failure does not stop the others. */
export async function runEvacuation(
  mover: Pick<TenantMover, 'move'>,
  plan: EvacuationPlan,
  opts: { concurrency: number; onResult?: (r: EvacuationResult) => void },
): Promise<{ moved: number; failed: number; durationMs: number }> {
  const started = performance.now();
  const summary = { moved: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < plan.moves.length) {
      const step = plan.moves[next++]!;
      const t0 = performance.now();
      let error: string | undefined;
      let result: MoveResult | undefined;
      try {
        result = await mover.move(step.tenantId, step.to);
      } catch (err) {
        error = (err as Error)?.message ?? String(err);
      }
      const status = error || !result ? 'failed' : 'moved';
      summary[status === 'moved' ? 'moved' : 'failed']++;
      opts.onResult?.({
        ...step,
        status,
        durationMs: Math.round(performance.now() - t0),
        ...(error ? { error } : {}),
      });
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.concurrency, plan.moves.length)) }, worker),
  );
  return { ...summary, durationMs: Math.round(performance.now() - started) };
}
