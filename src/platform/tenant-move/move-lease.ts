import os from 'node:os';
import type { TenantMove } from './tenant-move.table.js';

/** How long a mover's claim lasts without renewal (renewed every third of it). */
export const LEASE_MS = 30_000;
/** This process, as a move's owner. */
export const OWNER = `${os.hostname()}:${process.pid}`;

export const leaseUntil = () => new Date(Date.now() + LEASE_MS).toISOString();

/**
 * True while the process that runs a move may still be at it: its lease is current, unless it
 * ran on this host and its process is gone (a killed `steeple` command is taken over at once).
 */
export function isClaimed(move: TenantMove): boolean {
  if (!move.owner || !move.lease_until || move.lease_until < new Date().toISOString()) return false;
  const [host, pid] = move.owner.split(':');
  if (host !== os.hostname() || Number(pid) === process.pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
