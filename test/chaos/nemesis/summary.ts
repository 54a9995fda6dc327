import type { FinalState } from './checker.js';
import type { Op } from './history.js';

export interface Summary {
  ops: number;
  byKind: Record<string, { ok: number; fail: number; unknown: number; maxMs: number }>;
  statuses: Record<string, number>;
  faults: Record<string, number>;
  registrations: Record<string, number>;
  acknowledgedWrites: number;
  acknowledgedLogouts: number;
  probesAfterLogout: number;
  serverErrors500: number;
}

/** Counts for the report: what was tried, what answered how, which faults ran. */
export function summarize(ops: readonly Op[], final: FinalState): Summary {
  const s: Summary = {
    ops: ops.length,
    byKind: {},
    statuses: {},
    faults: {},
    registrations: {},
    acknowledgedWrites: 0,
    acknowledgedLogouts: 0,
    probesAfterLogout: 0,
    serverErrors500: 0,
  };
  const ackAt = new Map<string, number>();
  for (const op of ops) {
    if (op.kind === 'fault') {
      const key = op.detail!.split(' ').slice(0, 2).join(' ');
      s.faults[key] = (s.faults[key] ?? 0) + 1;
      continue;
    }
    if (op.kind === 'heal') continue;
    s.byKind[op.kind] ??= { ok: 0, fail: 0, unknown: 0, maxMs: 0 };
    const k = s.byKind[op.kind]!;
    k[op.outcome]++;
    k.maxMs = Math.max(k.maxMs, Math.round(op.end - op.start));
    const status = op.status === undefined ? 'no answer' : String(op.status);
    s.statuses[status] = (s.statuses[status] ?? 0) + 1;
    if (op.status === 500) s.serverErrors500++;
    if (op.kind === 'write' && op.outcome === 'ok') s.acknowledgedWrites++;
    if (op.kind === 'logout' && op.outcome === 'ok' && op.token) {
      s.acknowledgedLogouts++;
      ackAt.set(op.token, op.end);
    }
  }
  for (const op of ops) {
    const at = op.token ? ackAt.get(op.token) : undefined;
    if (at !== undefined && op.kind !== 'logout' && op.start > at) s.probesAfterLogout++;
  }
  for (const r of final.registrations) s.registrations[r.status] = (s.registrations[r.status] ?? 0) + 1;
  return s;
}

export function formatSummary(s: Summary): string {
  const lines = [`operations: ${s.ops}`];
  for (const [kind, k] of Object.entries(s.byKind)) {
    lines.push(
      `  ${kind.padEnd(12)} ok ${k.ok}, refused ${k.fail}, no answer ${k.unknown}, slowest ${k.maxMs} ms`,
    );
  }
  lines.push(
    `statuses: ${Object.entries(s.statuses)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  lines.push(
    `faults: ${Object.entries(s.faults)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  lines.push(
    `registrations (final): ${Object.entries(s.registrations)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  lines.push(
    `acknowledged writes: ${s.acknowledgedWrites}; acknowledged logouts: ${s.acknowledgedLogouts}; token uses after their logout: ${s.probesAfterLogout}; HTTP 500: ${s.serverErrors500}`,
  );
  return lines.join('\n');
}
