import { Errors } from '../errors/app-error.js';

/** Whom a unit of work is for: served fairly by group (a church), then by member (a client). */
export interface FairKey {
  group: string;
  member?: string;
}

interface Waiter {
  start: () => void;
  refuse: (err: unknown) => void;
}

interface Member {
  waiters: Waiter[];
  /** When this member last started work (a sequence number; 0: never). */
  served: number;
}

interface Group {
  running: number;
  queued: number;
  served: number;
  members: Map<string, Member>;
}

const busy = () => Errors.serviceUnavailable('The server is busy; try again shortly.', 1);

/**
 * A semaphore for heavy work (argon2: ~19 MiB and tens of ms of CPU each) that one church
 * cannot monopolise. At most `max` run at once, and at most `maxPerGroup` for one group;
 * waiters queue per group and per member, and the next to start is the least recently served
 * group that may run, and within it its least recently served member. The queue is bounded: when it is full, the newest waiter of the
 * longest group queue gives way (503 + Retry-After), so a flood only ever pushes out its own
 * work. Written by hand: the maintained queue libraries (p-limit, p-queue) are FIFO or
 * priority-ordered, with no fairness between keys and no longest-queue drop.
 */
export class FairConcurrencyLimit {
  private running = 0;
  private queued = 0;
  private served = 0;
  private readonly groups = new Map<string, Group>();

  constructor(private readonly opts: { max: number; maxPerGroup: number; maxQueued: number }) {}

  async run<T>(key: FairKey, fn: () => Promise<T>): Promise<T> {
    const g = this.group(key.group);
    if (g.queued === 0 && this.canStart(g)) {
      this.running++;
      g.running++;
      g.served = ++this.served;
    } else {
      try {
        await this.enqueue(g, key.member ?? '');
      } catch (err) {
        this.forgetIfIdle(key.group, g);
        throw err;
      }
    }
    try {
      return await fn();
    } finally {
      this.running--;
      g.running--;
      this.dispatch();
      this.forgetIfIdle(key.group, g);
    }
  }

  stats() {
    return { running: this.running, waiting: this.queued };
  }

  private canStart(g: Group): boolean {
    return this.running < this.opts.max && g.running < this.opts.maxPerGroup;
  }

  private group(name: string): Group {
    let g = this.groups.get(name);
    if (!g) {
      g = { running: 0, queued: 0, served: 0, members: new Map() };
      this.groups.set(name, g);
    }
    return g;
  }

  private forgetIfIdle(name: string, g: Group): void {
    if (g.running === 0 && g.queued === 0 && this.groups.get(name) === g) this.groups.delete(name);
  }

  private enqueue(g: Group, member: string): Promise<void> {
    if (this.queued >= this.opts.maxQueued) this.dropFromLongestOtherThan(g);
    return new Promise<void>((start, refuse) => {
      let m = g.members.get(member);
      if (!m) {
        m = { waiters: [], served: 0 };
        g.members.set(member, m);
      }
      m.waiters.push({ start, refuse });
      g.queued++;
      this.queued++;
    });
  }

  private longestGroup(): Group | undefined {
    let longest: Group | undefined;
    for (const g of this.groups.values()) if (!longest || g.queued > longest.queued) longest = g;
    return longest;
  }

  // The queue is full: the newest waiter of the longest queue (its longest member's) gives way,
  // unless that queue is the caller's own or no longer than it (then the caller is refused).
  private dropFromLongestOtherThan(g: Group): void {
    const longest = this.longestGroup();
    if (!longest || longest === g || longest.queued <= g.queued) throw busy();
    let longestMember: [string, Member] | undefined;
    for (const e of longest.members)
      if (!longestMember || e[1].waiters.length > longestMember[1].waiters.length) longestMember = e;
    const [name, m] = longestMember!;
    const dropped = m.waiters.pop()!;
    if (m.waiters.length === 0) longest.members.delete(name);
    longest.queued--;
    this.queued--;
    dropped.refuse(busy());
  }

  /** Starts waiters while there is room: the least recently served group that may run, first. */
  private dispatch(): void {
    while (this.running < this.opts.max && this.queued > 0) {
      let g: Group | undefined;
      for (const c of this.groups.values())
        if (c.queued > 0 && c.running < this.opts.maxPerGroup && (!g || c.served < g.served)) g = c;
      if (!g) return;
      let next: [string, Member] | undefined;
      for (const e of g.members) if (!next || e[1].served < next[1].served) next = e;
      const [name, m] = next!;
      const waiter = m.waiters.shift()!;
      if (m.waiters.length === 0) g.members.delete(name);
      g.served = m.served = ++this.served;
      g.queued--;
      this.queued--;
      this.running++;
      g.running++;
      waiter.start();
    }
  }
}
