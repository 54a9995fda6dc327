import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { FairConcurrencyLimit } from '../../../src/auth/fair-concurrency-limit.js';
import { hashPassword, needsRehash, PasswordHasher } from '../../../src/auth/password.js';
import { AppError } from '../../../src/errors/app-error.js';

describe('passwords', () => {
  it('hashes as an argon2id PHC string with OWASP parameters and verifies', async () => {
    const phc = await hashPassword('correct horse battery');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const hasher = new PasswordHasher({ maxConcurrent: 2, maxQueued: 10 });
    expect(await hasher.verify(phc, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(phc, 'wrong horse battery')).toBe(false);
    expect(await hasher.verify('not-a-phc', 'x')).toBe(false);
    expect(await hasher.verifyDummy('anything')).toBe(false);
    expect(needsRehash(phc)).toBe(false);
  });

  it('asks for a rehash when the stored parameters are weaker or the string is foreign', async () => {
    const weak = await hash('pw', { memoryCost: 4096, timeCost: 1, parallelism: 1, algorithm: 2 });
    expect(needsRehash(weak)).toBe(true);
    const argon2i = await hash('pw', { algorithm: 1 });
    expect(needsRehash(argon2i)).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });

  it('refuses work beyond the concurrency limit and its queue with 503 + Retry-After', async () => {
    const limit = new FairConcurrencyLimit({ max: 1, maxPerGroup: 1, maxQueued: 1 });
    const a = { group: 'a' };
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = limit.run(a, () => gate);
    const second = limit.run(a, async () => 'queued');
    const third = limit.run(a, async () => 'refused');
    await expect(third).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === 'SERVICE_UNAVAILABLE' && e.retryAfter === 1,
    );
    expect(limit.stats()).toEqual({ running: 1, waiting: 1 });
    release();
    await first;
    expect(await second).toBe('queued');
    expect(limit.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
