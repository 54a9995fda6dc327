/** Bounds of the reconnect back-off, in milliseconds. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before reconnect attempt `times` (1-based): exponential, capped, with full jitter so
 * replicas that lost Redis together do not reconnect in lockstep. Never returns null: a
 * strategy that gives up is exactly the "permanent fallback" bug this replaces.
 */
export function reconnectDelay(
  times: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exp = opts.baseMs * 2 ** Math.min(Math.max(times - 1, 0), 20);
  const ceiling = Math.min(opts.maxMs, exp);
  // Keep a floor of baseMs so a refused port is not hammered in a tight loop.
  return Math.max(opts.baseMs, Math.round(ceiling * random()));
}
