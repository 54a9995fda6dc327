import fs from 'node:fs';
import type { ApiResponse } from '../../helpers/http-api.js';

export type OpKind =
  | 'register'
  | 'reg-status'
  | 'login'
  | 'logout'
  | 'probe'
  | 'write'
  | 'read'
  | 'final-login'
  | 'final-read'
  | 'final-users'
  | 'fault'
  | 'heal';

/** ok: the server acknowledged; fail: it answered with a refusal; unknown: no answer (timeout, reset). */
export type Outcome = 'ok' | 'fail' | 'unknown';

/** One operation and its answer. Times are ms since the run started (one monotonic clock). */
export interface Op {
  n: number;
  client: number;
  kind: OpKind;
  start: number;
  end: number;
  outcome: Outcome;
  status?: number;
  error?: string;
  /** The church the op is about (its slug, also the `lastName` marker of its people). */
  church?: string;
  /** A client-side name for the access token used or revoked (never the token itself). */
  token?: string;
  regId?: string;
  personId?: string;
  /** People a read returned (id and church marker); `complete` when every page was read. */
  rows?: Array<{ id: string; lastName: string }>;
  complete?: boolean;
  detail?: string;
}

/** An append-only history: in memory for the checker, and as JSON lines on disk for people. */
export class History {
  readonly ops: Op[] = [];
  private readonly t0 = performance.now();
  private readonly fd: number | undefined;

  constructor(file?: string) {
    this.fd = file ? fs.openSync(file, 'w') : undefined;
  }

  now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  record(op: Omit<Op, 'n'>): Op {
    const full = { n: this.ops.length, ...op } as Op;
    this.ops.push(full);
    if (this.fd !== undefined) fs.writeSync(this.fd, `${JSON.stringify(full)}\n`);
    return full;
  }

  /** Runs one HTTP call and records it: answered -> ok/fail by `isOk`; thrown -> unknown. */
  async call(
    base: Omit<Op, 'n' | 'start' | 'end' | 'outcome'>,
    run: () => Promise<ApiResponse>,
    isOk: (res: ApiResponse) => boolean,
    extra: (res: ApiResponse) => Partial<Op> = () => ({}),
  ): Promise<{ op: Op; res?: ApiResponse }> {
    const start = this.now();
    try {
      const res = await run();
      const ok = isOk(res);
      const more = ok ? extra(res) : { error: res.body?.code ?? res.body?.title };
      return {
        op: this.record({
          ...base,
          start,
          end: this.now(),
          outcome: ok ? 'ok' : 'fail',
          status: res.status,
          ...more,
        }),
        res,
      };
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { op: this.record({ ...base, start, end: this.now(), outcome: 'unknown', error }) };
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
  }
}
