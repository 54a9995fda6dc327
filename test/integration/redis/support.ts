import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../../src/infra/logger.js';

/** A logger whose JSON lines the test can read (Redis log-volume rules are asserted on it). */
export function capturingLogger(level = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

/** Polls `cond` every 20 ms until it holds; throws after `timeoutMs` naming what was awaited. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const uniquePrefix = (tag: string) =>
  `t-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
