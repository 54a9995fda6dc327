import { Errors } from '../errors/app-error.js';
import type { FailureCounters } from './failure-counters.js';

const MINUTE = 60_000;
/** Failures in a row from one address on one account before that pair's back-off starts. */
export const PAIR_FREE_FAILURES = 5;
/**
 * Failures in a row on one account, from every address together, before the account-wide
 * back-off starts; it spares addresses that logged in to the account lately (its owner's).
 */
export const ACCOUNT_FREE_FAILURES = 20;
export const MAX_BACKOFF_MS = 15 * MINUTE;
/** NIST SP 800-63B: never more than 100 consecutive failures; then wait out the whole record. */
export const ACCOUNT_HARD_LIMIT = 100;
const FAILURE_RECORD_MS = 24 * 60 * MINUTE;
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * MINUTE;
const IP_WINDOW_MS = 15 * MINUTE;
const SUCCESS_WINDOW_MS = 15 * MINUTE;

export type ThrottledAction = 'login' | 'refresh';

/** The wait after `failures` in a row: 1 s once `free` are spent, doubling, capped at 15 min. */
export function backoffMs(failures: number, free = PAIR_FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - free));
}

/**
 * Brute-force limits. Failures are counted per (account, address) pair, where an exponential
 * back-off starts after 5, so someone else's guesses never lock the owner out of their account
 * from their own address; per account, from all addresses together, a back-off after 20 that
 * spares addresses which logged in to the account within 30 days, and a hard stop at 100 for
 * everyone; per address, a fixed-window cap over all accounts. Because every login costs an
 * argon2 verification, successful logins are capped per account and per address too (generous:
 * an office behind one address is not throttled for logging in as usual).
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

  /** Throws 429 RATE_LIMITED with Retry-After when the address, the pair or the account must wait. */
  async check(action: ThrottledAction, ip: string, account?: string): Promise<void> {
    const now = this.now();
    const pair = account && pairOf(account, ip);
    const [byIp, byPair, byAccount, known] = await Promise.all([
      this.counters.get(`${action}-ip`, ip, now),
      pair ? this.counters.get(`${action}-pair`, pair, now) : null,
      account ? this.counters.get(`${action}-account`, account, now) : null,
      pair ? this.counters.get(`${action}-known`, pair, now) : null,
    ]);
    let until = 0;
    if (byIp && byIp.count >= this.opts.ipFailureLimit) until = byIp.expiresAtMs;
    if (byPair) until = Math.max(until, byPair.lastAtMs + backoffMs(byPair.count));
    if (byAccount && byAccount.count >= ACCOUNT_HARD_LIMIT) until = Math.max(until, byAccount.expiresAtMs);
    else if (byAccount && !known)
      until = Math.max(until, byAccount.lastAtMs + backoffMs(byAccount.count, ACCOUNT_FREE_FAILURES));
    if (until > now) throw Errors.rateLimited(Math.ceil((until - now) / 1000));
  }

  async recordFailure(action: ThrottledAction, ip: string, account?: string): Promise<void> {
    const now = this.now();
    await Promise.all([
      this.counters.hit(`${action}-ip`, ip, 'fixed', IP_WINDOW_MS, now),
      account
        ? this.counters.hit(`${action}-pair`, pairOf(account, ip), 'sliding', FAILURE_RECORD_MS, now)
        : null,
      account ? this.counters.hit(`${action}-account`, account, 'sliding', FAILURE_RECORD_MS, now) : null,
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

  /**
   * A successful login ends the account's and this pair's runs of failures (never the address's),
   * makes the address known to the account, and counts as a success.
   */
  async recordSuccess(action: ThrottledAction, ip: string, account: string): Promise<void> {
    const now = this.now();
    const pair = pairOf(account, ip);
    await Promise.all([
      this.counters.reset(`${action}-pair`, pair),
      this.counters.reset(`${action}-account`, account),
      this.counters.hit(`${action}-known`, pair, 'sliding', KNOWN_ADDRESS_MS, now),
      this.counters.hit('login-ok-ip', ip, 'fixed', SUCCESS_WINDOW_MS, now),
      this.counters.hit('login-ok-account', account, 'fixed', SUCCESS_WINDOW_MS, now),
    ]);
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }
}

/** One account seen from one client address. */
function pairOf(account: string, ip: string): string {
  return `${account}\n${ip}`;
}

/** The account subject for throttling: church slug + normalised email. */
export function accountSubject(church: string, email: string): string {
  return `${church.trim().toLowerCase()}\n${email.trim().toLowerCase()}`;
}
