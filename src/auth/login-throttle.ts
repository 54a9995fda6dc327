import { Errors } from '../errors/app-error.js';
import type { FailureCounters } from './failure-counters.js';

const MINUTE = 60_000;
/** Failures in a row before the per-account back-off starts. */
export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_MAX_BACKOFF_MS = 15 * MINUTE;
/** NIST SP 800-63B: never more than 100 consecutive failures; then wait out the whole record. */
export const ACCOUNT_HARD_LIMIT = 100;
const ACCOUNT_RECORD_MS = 24 * 60 * MINUTE;
const IP_WINDOW_MS = 15 * MINUTE;
const SUCCESS_WINDOW_MS = 15 * MINUTE;

export type ThrottledAction = 'login' | 'refresh';

/** The wait after `failures` in a row: 1 s after the 5th, doubling, capped at 15 min. */
export function accountBackoffMs(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(ACCOUNT_MAX_BACKOFF_MS, 1000 * 2 ** (failures - ACCOUNT_FREE_FAILURES));
}

/**
 * Brute-force limits: per account (church + email) an exponential back-off after failures, per
 * client IP a fixed-window cap on failures; and, because every login costs an argon2
 * verification, a fixed-window cap on successful logins per account and per IP (generous: an
 * office behind one address is not throttled for logging in as usual).
 */
export class LoginThrottle {
  constructor(
    private readonly counters: FailureCounters,
    private readonly opts: {
      ipFailureLimit: number;
      accountSuccessLimit: number;
      ipSuccessLimit: number;
      now?: () => number;
    },
  ) {}

  /** Throws 429 RATE_LIMITED with Retry-After when the IP or the account must wait. */
  async check(action: ThrottledAction, ip: string, account?: string): Promise<void> {
    const now = this.now();
    const [byIp, byAccount] = await Promise.all([
      this.counters.get(`${action}-ip`, ip, now),
      account ? this.counters.get(`${action}-account`, account, now) : null,
    ]);
    let waitMs = 0;
    if (byIp && byIp.count >= this.opts.ipFailureLimit) waitMs = byIp.expiresAtMs - now;
    if (byAccount) {
      const until =
        byAccount.count >= ACCOUNT_HARD_LIMIT
          ? byAccount.expiresAtMs
          : byAccount.lastAtMs + accountBackoffMs(byAccount.count);
      waitMs = Math.max(waitMs, until - now);
    }
    if (waitMs > 0) throw Errors.rateLimited(Math.ceil(waitMs / 1000));
  }

  async recordFailure(action: ThrottledAction, ip: string, account?: string): Promise<void> {
    const now = this.now();
    await Promise.all([
      this.counters.hit(`${action}-ip`, ip, 'fixed', IP_WINDOW_MS, now),
      account ? this.counters.hit(`${action}-account`, account, 'sliding', ACCOUNT_RECORD_MS, now) : null,
    ]);
  }

  /** Throws 429 with Retry-After when the account or the IP has logged in too often lately. */
  async checkSuccesses(ip: string, account: string): Promise<void> {
    const now = this.now();
    const [byIp, byAccount] = await Promise.all([
      this.counters.get('login-ok-ip', ip, now),
      this.counters.get('login-ok-account', account, now),
    ]);
    let waitMs = 0;
    if (byIp && byIp.count >= this.opts.ipSuccessLimit) waitMs = byIp.expiresAtMs - now;
    if (byAccount && byAccount.count >= this.opts.accountSuccessLimit)
      waitMs = Math.max(waitMs, byAccount.expiresAtMs - now);
    if (waitMs > 0) throw Errors.rateLimited(Math.ceil(waitMs / 1000));
  }

  /** A successful login clears the account's failures (never the IP's) and counts as a success. */
  async recordSuccess(action: ThrottledAction, ip: string, account: string): Promise<void> {
    const now = this.now();
    await Promise.all([
      this.counters.reset(`${action}-account`, account),
      this.counters.hit('login-ok-ip', ip, 'fixed', SUCCESS_WINDOW_MS, now),
      this.counters.hit('login-ok-account', account, 'fixed', SUCCESS_WINDOW_MS, now),
    ]);
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }
}

/** The account subject for throttling: church slug + normalised email. */
export function accountSubject(church: string, email: string): string {
  return `${church.trim().toLowerCase()}\n${email.trim().toLowerCase()}`;
}
