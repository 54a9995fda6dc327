import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RedisStatusLog } from '../../../src/infra/redis/redis-status-log.js';
import { redisKeys } from '../../../src/infra/redis/keys.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('RedisStatusLog', () => {
  it('logs each transition, and while down at most one line per interval', async () => {
    let t = 0;
    const { logger, lines } = capture();
    const log = new RedisStatusLog(logger, 60_000, () => t);
    log.down('connection closed');
    // A reconnect attempt fails every ~3 s for 5 minutes.
    for (t = 0; t <= 300_000; t += 3000) log.error('request-path', new Error('ECONNREFUSED'));
    log.up();
    await new Promise((r) => setImmediate(r));
    // down + one reminder per full minute (60, 120, 180, 240, 300 s) + up
    expect(lines.length).toBe(7);
    expect(lines[0]!.msg).toMatch(/down/);
    expect(lines.at(-1)!.msg).toMatch(/up/);
    expect(lines[1]!.suppressed).toBe(20);
  });
});

describe('redisKeys', () => {
  it('puts every key under the prefix', () => {
    const k = redisKeys('t1');
    expect(k.rateLimit('login', 'ip', 5).startsWith('t1:')).toBe(true);
    expect(k.queuePrefix()).toBe('t1:bull');
  });
});
