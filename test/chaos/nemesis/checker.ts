import type { Op } from './history.js';

/** What the catalog holds once faults healed (read directly, not through a proxy). */
export interface FinalState {
  registrations: Array<{ id: string; slug: string; status: string }>;
}

const accepted = (op: Op) => op.status !== undefined && op.status >= 200 && op.status < 300;

/**
 * The invariants of RELIABILITY.md #4 over a history. Returns one line per violation.
 * - no token accepted by a request that started after its logout was acknowledged;
 * - no acknowledged write missing from the complete read-back after healing;
 * - no read returning another church's rows;
 * - no registration stuck (every one ready or failed), none acknowledged and then lost, every
 *   ready church usable by its admin, and its side effect done once (exactly one admin user).
 */
export function checkHistory(ops: readonly Op[], final: FinalState): string[] {
  const violations: string[] = [];

  const revokedAt = new Map<string, number>();
  for (const op of ops) {
    if (op.kind === 'logout' && op.outcome === 'ok' && op.token) {
      revokedAt.set(op.token, Math.min(op.end, revokedAt.get(op.token) ?? Number.POSITIVE_INFINITY));
    }
  }
  for (const op of ops) {
    const at = op.token ? revokedAt.get(op.token) : undefined;
    if (at !== undefined && op.kind !== 'logout' && op.start > at && accepted(op)) {
      violations.push(
        `token ${op.token} accepted by op #${op.n} (${op.kind}, ${op.status}) at ${op.start} ms after its logout was acknowledged at ${at} ms`,
      );
    }
  }

  const writer = new Map<string, string>();
  const acked = new Map<string, Set<string>>();
  for (const op of ops) {
    if (op.kind !== 'write' || !op.church || !op.personId) continue;
    writer.set(op.personId, op.church);
    if (op.outcome === 'ok') {
      if (!acked.has(op.church)) acked.set(op.church, new Set());
      acked.get(op.church)!.add(op.personId);
    }
  }

  for (const op of ops) {
    if (!op.rows || !op.church) continue;
    for (const row of op.rows) {
      const owner = writer.get(row.id);
      if (row.lastName !== op.church || (owner !== undefined && owner !== op.church)) {
        violations.push(
          `read #${op.n} for church ${op.church} returned person ${row.id} of ${owner ?? row.lastName}`,
        );
      }
    }
  }

  const readBack = new Map<string, Set<string>>();
  for (const op of ops) {
    if (op.kind === 'final-read' && op.outcome === 'ok' && op.complete && op.church) {
      readBack.set(op.church, new Set(op.rows!.map((r) => r.id)));
    }
  }
  for (const [church, ids] of acked) {
    const seen = readBack.get(church);
    if (!seen) {
      violations.push(
        `church ${church}: ${ids.size} acknowledged writes, but it could not be read back after healing`,
      );
      continue;
    }
    const missing = [...ids].filter((id) => !seen.has(id));
    if (missing.length)
      violations.push(
        `church ${church}: ${missing.length} acknowledged writes missing: ${missing.slice(0, 5).join(', ')}`,
      );
  }

  const finalById = new Map(final.registrations.map((r) => [r.id, r]));
  for (const r of final.registrations) {
    if (r.status !== 'ready' && r.status !== 'failed')
      violations.push(`registration ${r.id} (${r.slug}) stuck in ${r.status}`);
  }
  const loggedIn = new Set(
    ops.filter((o) => o.kind === 'final-login' && o.outcome === 'ok').map((o) => o.church),
  );
  const ackedRegs = new Map<string, string>();
  for (const op of ops)
    if (op.kind === 'register' && op.outcome === 'ok' && op.regId) ackedRegs.set(op.regId, op.church!);
  for (const [id, church] of ackedRegs) {
    const row = finalById.get(id);
    if (!row) violations.push(`registration ${id} (${church}) was acknowledged but is not in the catalog`);
    else if (row.status === 'ready' && !loggedIn.has(church)) {
      violations.push(`registration ${id} (${church}) is ready but its admin could not log in after healing`);
    }
  }
  for (const op of ops) {
    if (op.kind === 'final-users' && op.outcome === 'ok' && op.detail !== 'admins=1') {
      violations.push(`church ${op.church}: provisioning left ${op.detail} (want exactly one admin)`);
    }
  }
  return violations;
}
