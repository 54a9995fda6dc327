/**
 * A broadcast "something changed" signal: waiters wake on the next notify or after their own
 * timeout, then re-check their condition. Cheap when nobody waits.
 */
export class ChangeSignal {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    if (this.waiters.size === 0) return;
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake();
  }

  /** Resolves on the next notify or after `ms`, whichever comes first; never rejects. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.waiters.add(wake);
    });
  }
}
