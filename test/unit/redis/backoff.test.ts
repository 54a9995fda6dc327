import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../../src/infra/redis/backoff.js';

describe('reconnectDelay', () => {
  it('always returns a delay between the base and the cap, for any attempt (never gives up)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (times, r) => {
          const d = reconnectDelay(times, { baseMs: 100, maxMs: 3000 }, () => r);
          return Number.isInteger(d) && d >= 100 && d <= 3000;
        },
      ),
    );
  });

  it('grows exponentially until the cap', () => {
    const top = (times: number) => reconnectDelay(times, { baseMs: 100, maxMs: 3000 }, () => 0.9999);
    expect(top(1)).toBe(100);
    expect(top(2)).toBe(200);
    expect(top(4)).toBe(800);
    expect(top(10)).toBe(3000);
    expect(top(10_000)).toBe(3000);
  });

  it('is jittered', () => {
    const a = reconnectDelay(8, { baseMs: 100, maxMs: 3000 }, () => 0.2);
    const b = reconnectDelay(8, { baseMs: 100, maxMs: 3000 }, () => 0.8);
    expect(a).not.toBe(b);
  });
});
