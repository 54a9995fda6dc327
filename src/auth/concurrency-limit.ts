import { Errors } from '../errors/app-error.js';

/**
 * A semaphore with a bounded queue: work beyond `max` running plus `maxQueued` waiting is refused
 * at once with 503 + Retry-After, so a flood cannot pile up memory-hungry work.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly maxQueued: number,
  ) {}

  /** Throws the 503 that `run` would, synchronously, so a caller can decide before other work. */
  assertRoom(): void {
    if (this.running >= this.max && this.waiting.length >= this.maxQueued) {
      throw Errors.serviceUnavailable('The server is busy; try again shortly.', 1);
    }
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.assertRoom();
    if (this.running >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same) or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  stats() {
    return { running: this.running, waiting: this.waiting.length };
  }
}
