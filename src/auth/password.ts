import { hash, parseOptions, verify } from '@node-rs/argon2';
import { FairConcurrencyLimit, type FairKey } from './fair-concurrency-limit.js';

/** OWASP argon2id parameters (m=19456 KiB, t=2, p=1). */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
// `Algorithm.Argon2id` is a const enum, which isolatedModules cannot inline.
const ARGON2ID = 2;
const OPTIONS = { ...ARGON2_PARAMS, algorithm: ARGON2ID };

/** Hashes a password as an argon2id PHC string. Used by login, /api/users and registration. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when a stored hash uses another algorithm or weaker parameters than today's. */
export function needsRehash(phc: string): boolean {
  try {
    const o = parseOptions(phc);
    return (
      o.algorithm !== ARGON2ID ||
      o.memoryCost < ARGON2_PARAMS.memoryCost ||
      o.timeCost < ARGON2_PARAMS.timeCost ||
      o.parallelism < ARGON2_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}

/**
 * Password hashing behind a fair concurrency limit (each argon2 call holds ~19 MiB): work is
 * queued per church and, within a church, per client, so one church's flood of logins or new
 * users waits behind itself, never in front of another church. Verifying against a dummy hash
 * when there is no user keeps "unknown user" as slow as "wrong password".
 */
export class PasswordHasher {
  private readonly limit: FairConcurrencyLimit;
  private dummy: Promise<string> | undefined;

  constructor(opts: { maxConcurrent: number; maxQueued: number; maxPerChurch?: number }) {
    this.limit = new FairConcurrencyLimit({
      max: opts.maxConcurrent,
      maxPerGroup: opts.maxPerChurch ?? opts.maxConcurrent,
      maxQueued: opts.maxQueued,
    });
  }

  hash(password: string, who?: HashFor): Promise<string> {
    return this.limit.run(keyOf(who), () => hashPassword(password));
  }

  /** Verifies; a malformed stored hash counts as a mismatch. */
  verify(phc: string, password: string, who?: HashFor): Promise<boolean> {
    return this.limit.run(keyOf(who), () => verify(phc, password).catch(() => false));
  }

  /** Spends the same work as a real verification and always fails. */
  async verifyDummy(password: string, who?: HashFor): Promise<false> {
    this.dummy ??= hashPassword('steeple-dummy-password-for-timing');
    await this.verify(await this.dummy, password, who);
    return false;
  }

  stats() {
    return this.limit.stats();
  }
}

/** Whose work a hash is, for fair queueing: the church, and the client address when known. */
export interface HashFor {
  church: string;
  ip?: string;
}

function keyOf(who: HashFor | undefined): FairKey {
  return who ? { group: who.church, member: who.ip } : { group: '' };
}
