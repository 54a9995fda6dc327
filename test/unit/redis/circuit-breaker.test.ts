import { describe, expect, it } from 'vitest';
import { type BreakerState, CircuitBreaker } from '../../../src/infra/redis/circuit-breaker.js';

function setup() {
  let t = 1_000;
  const changes: BreakerState[] = [];
  const b = new CircuitBreaker(
    { failureThreshold: 3, windowMs: 1000, resetMs: 500 },
    (s) => changes.push(s),
    () => t,
  );
  return { b, changes, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of failures within the window', () => {
    const { b, changes } = setup();
    b.failure();
    b.failure();
    expect(b.state()).toBe('closed');
    b.failure();
    expect(b.state()).toBe('open');
    expect(b.allow()).toBe(false);
    expect(changes).toEqual(['open']);
  });

  it('forgets failures older than the window', () => {
    const { b, advance } = setup();
    b.failure();
    b.failure();
    advance(1001);
    b.failure();
    expect(b.state()).toBe('closed');
  });

  it('lets exactly one half-open probe through after the reset time', () => {
    const { b, advance, changes } = setup();
    for (let i = 0; i < 3; i++) b.failure();
    advance(499);
    expect(b.allow()).toBe(false);
    advance(1);
    expect(b.state()).toBe('half-open');
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.state()).toBe('closed');
    expect(b.allow()).toBe(true);
    expect(changes).toEqual(['open', 'closed']);
  });

  it('re-opens for a full reset period when the probe fails', () => {
    const { b, advance } = setup();
    for (let i = 0; i < 3; i++) b.failure();
    advance(500);
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state()).toBe('open');
    advance(499);
    expect(b.allow()).toBe(false);
    advance(1);
    expect(b.allow()).toBe(true);
  });

  it('ignores late failures of calls started before it opened', () => {
    const { b, advance } = setup();
    for (let i = 0; i < 3; i++) b.failure();
    b.failure();
    b.failure();
    advance(500);
    expect(b.state()).toBe('half-open');
  });

  it('reset closes it and clears counted failures', () => {
    const { b, changes } = setup();
    for (let i = 0; i < 3; i++) b.failure();
    b.reset();
    expect(b.state()).toBe('closed');
    b.failure();
    b.failure();
    expect(b.state()).toBe('closed');
    expect(changes).toEqual(['open', 'closed']);
  });
});
