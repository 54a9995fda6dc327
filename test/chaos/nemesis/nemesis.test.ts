import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { hasRedisServer } from '../../helpers/redis-server.js';
import { checkHistory } from './checker.js';
import type { Op } from './history.js';
import { runNemesis } from './run-nemesis.js';
import { formatSummary } from './summary.js';

let n = 0;
const op = (o: Partial<Op> & Pick<Op, 'kind'>): Op =>
  ({ n: n++, client: 0, start: 0, end: 0, outcome: 'ok', ...o }) as Op;

describe('nemesis checker', () => {
  const ready = { registrations: [{ id: 'r1', slug: 'a', status: 'ready' }] };
  const base = (): Op[] => [
    op({ kind: 'register', church: 'a', regId: 'r1', status: 201 }),
    op({ kind: 'final-login', church: 'a', status: 200 }),
    op({ kind: 'write', church: 'a', personId: 'p1', status: 201, start: 1, end: 2 }),
    op({ kind: 'logout', church: 'a', token: 't1', status: 204, start: 3, end: 4 }),
    op({ kind: 'probe', church: 'a', token: 't1', status: 401, outcome: 'fail', start: 5, end: 6 }),
    op({ kind: 'final-read', church: 'a', status: 200, complete: true, rows: [{ id: 'p1', lastName: 'a' }] }),
  ];

  it('accepts a valid history', () => {
    expect(checkHistory(base(), ready)).toEqual([]);
  });
  it('a token accepted after its acknowledged logout', () => {
    const h = [...base(), op({ kind: 'probe', church: 'a', token: 't1', status: 200, start: 4.5, end: 5 })];
    expect(checkHistory(h, ready)).toEqual([expect.stringContaining('token t1 accepted')]);
  });
  it('a request that started before the logout was acknowledged may succeed', () => {
    const h = [
      ...base(),
      op({ kind: 'read', church: 'a', token: 't1', status: 200, start: 3.5, end: 5, rows: [] }),
    ];
    expect(checkHistory(h, ready)).toEqual([]);
  });
  it('an acknowledged write missing from the read-back', () => {
    const h = [...base(), op({ kind: 'write', church: 'a', personId: 'p2', status: 201 })];
    expect(checkHistory(h, ready)).toEqual([expect.stringContaining('1 acknowledged writes missing: p2')]);
  });
  it('a write that got no answer may be missing', () => {
    const h = [...base(), op({ kind: 'write', church: 'a', outcome: 'unknown' })];
    expect(checkHistory(h, ready)).toEqual([]);
  });
  it("a read returning another church's rows", () => {
    const h = [
      ...base(),
      op({ kind: 'write', church: 'b', personId: 'q1', status: 201 }),
      op({
        kind: 'final-read',
        church: 'b',
        status: 200,
        complete: true,
        rows: [{ id: 'q1', lastName: 'b' }],
      }),
      op({ kind: 'read', church: 'a', status: 200, rows: [{ id: 'q1', lastName: 'b' }] }),
    ];
    expect(checkHistory(h, ready)).toEqual([expect.stringContaining('returned person q1 of b')]);
  });
  it('a provisioning side effect done twice', () => {
    const h = [...base(), op({ kind: 'final-users', church: 'a', status: 200, detail: 'admins=2' })];
    expect(checkHistory(h, ready)).toEqual([expect.stringContaining('left admins=2')]);
    expect(
      checkHistory([...base(), op({ kind: 'final-users', church: 'a', detail: 'admins=1' })], ready),
    ).toEqual([]);
  });
  it('a stuck, a lost and an unusable registration', () => {
    const h = [...base(), op({ kind: 'register', church: 'c', regId: 'r3', status: 202 })];
    const final = {
      registrations: [...ready.registrations, { id: 'r2', slug: 'b', status: 'provisioning' }],
    };
    expect(checkHistory(h, final)).toEqual([
      expect.stringContaining('r2 (b) stuck in provisioning'),
      expect.stringContaining('r3 (c) was acknowledged but is not in the catalog'),
    ]);
    const unusable = base().filter((o) => o.kind !== 'final-login' && o.kind !== 'final-read');
    expect(checkHistory(unusable, ready)).toEqual([
      expect.stringContaining('church a: 1 acknowledged writes, but it could not be read back'),
      expect.stringContaining('ready but its admin could not log in'),
    ]);
  });
});

const servicesReady = inject('pgAvailable') && hasRedisServer();

describe.runIf(servicesReady)('nemesis run (short)', () => {
  it('finds no violation after ~10 s of faults on Redis, catalog and tenant connections', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-nemesis-test-'));
    const seed = Math.floor(Math.random() * 2 ** 31);
    const result = await runNemesis({
      faultMs: 10_000,
      clients: 3,
      maxRegistrations: 6,
      seed,
      outDir,
      healTimeoutMs: 35_000,
    });
    const report = `seed ${seed}, history ${result.historyFile}\n${formatSummary(result.summary)}\n${result.violations.join('\n')}`;
    expect(result.violations, report).toEqual([]);
    // The run did something: faults ran, writes were acknowledged and read back, tokens revoked.
    expect(Object.keys(result.summary.faults).length, report).toBeGreaterThan(0);
    expect(result.summary.acknowledgedWrites, report).toBeGreaterThan(0);
    expect(result.summary.byKind['final-read']?.ok ?? 0, report).toBeGreaterThan(0);
    fs.rmSync(outDir, { recursive: true, force: true });
  }, 120_000);
});
