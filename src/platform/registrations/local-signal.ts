import type { EventEmitter } from 'node:events';

/**
 * Waits for `event` on `emitter` (a local signal), or `ms`, whichever comes first: the wake-up of
 * a catalog poll. Start it *before* reading the catalog, so a signal sent during the read is not
 * lost; `stop` when done with it. Resolves with the signal's payload, or undefined on timeout.
 */
export function listenFor<T>(
  emitter: EventEmitter | undefined,
  event: string,
  ms: number,
): { next: Promise<T | undefined>; stop(): void } {
  let onSignal: ((payload: T) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const next = new Promise<T | undefined>((resolve) => {
    onSignal = resolve;
    emitter?.once(event, onSignal);
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  return {
    next,
    stop: () => {
      clearTimeout(timer);
      if (onSignal) emitter?.off(event, onSignal);
    },
  };
}
