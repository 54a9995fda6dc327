import { describe, expect, it } from 'vitest';
import { FairConcurrencyLimit } from '../../../src/auth/fair-concurrency-limit.js';
import { AppError } from '../../../src/errors/app-error.js';

/** Work that runs until released; records the order in which work started. */
function gated(started: string[]) {
  const gates: Array<() => void> = [];
  const work = (name: string) => () => {
    started.push(name);
    return new Promise<string>((resolve) => gates.push(() => resolve(name)));
  };
  const releaseOne = async () => {
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { work, releaseOne };
}

const isBusy = (e: unknown) =>
  e instanceof AppError && e.code === 'SERVICE_UNAVAILABLE' && e.retryAfter === 1;

describe('FairConcurrencyLimit', () => {
  it('starts the least recently served group first, then its least recently served member', async () => {
    const started: string[] = [];
    const { work, releaseOne } = gated(started);
    const limit = new FairConcurrencyLimit({ max: 1, maxPerGroup: 1, maxQueued: 100 });
    const all = [
      limit.run({ group: 'a', member: '1' }, work('a1-0')),
      ...[1, 2, 3].map((i) => limit.run({ group: 'a', member: '1' }, work(`a1-${i}`))),
      limit.run({ group: 'a', member: '2' }, work('a2-0')),
      limit.run({ group: 'b' }, work('b-0')),
      limit.run({ group: 'b' }, work('b-1')),
    ];
    for (let i = 0; i < all.length; i++) await releaseOne();
    await Promise.all(all);
    expect(started).toEqual(['a1-0', 'b-0', 'a1-1', 'b-1', 'a2-0', 'a1-2', 'a1-3']);
  });

  it('caps one group below the whole limit: another group starts at once', async () => {
    const started: string[] = [];
    const { work, releaseOne } = gated(started);
    const limit = new FairConcurrencyLimit({ max: 4, maxPerGroup: 2, maxQueued: 100 });
    const flood = Array.from({ length: 10 }, (_, i) => limit.run({ group: 'a' }, work(`a${i}`)));
    const b = limit.run({ group: 'b' }, work('b'));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a0', 'a1', 'b']);
    expect(limit.stats()).toEqual({ running: 3, waiting: 8 });
    for (let i = 0; i < 11; i++) await releaseOne();
    await Promise.all([...flood, b]);
    expect(limit.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('a full queue refuses the flooding group, and makes room for another group', async () => {
    const started: string[] = [];
    const { work, releaseOne } = gated(started);
    const limit = new FairConcurrencyLimit({ max: 1, maxPerGroup: 1, maxQueued: 3 });
    const flood = Array.from({ length: 5 }, (_, i) =>
      limit.run({ group: 'a' }, work(`a${i}`)).catch((e) => (isBusy(e) ? 'busy' : 'other')),
    );
    const b = limit.run({ group: 'b' }, work('b'));
    for (let i = 0; i < 4; i++) await releaseOne();
    // a0 ran; a1, a2 waited; a4 was refused when the queue was full; a3 gave way to b.
    expect(await Promise.all(flood)).toEqual(['a0', 'a1', 'a2', 'busy', 'busy']);
    expect(await b).toBe('b');
    expect(started).toEqual(['a0', 'b', 'a1', 'a2']);
  });
});
