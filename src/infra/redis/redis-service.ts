import { Redis, ReplyError } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { type BreakerOptions, CircuitBreaker } from './circuit-breaker.js';
import { type ConnectionSettings, requestPathOptions, workerOptions } from './connection-options.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { createRedisMetrics, type RedisMetrics } from './redis-metrics.js';
import type { RedisPort, RedisState } from './redis-port.js';
import { RedisStatusLog } from './redis-status-log.js';

export interface RedisServiceOptions extends ConnectionSettings {
  /** Unset: a disabled service (every call takes its fallback, state `disabled`). */
  url: string | undefined;
  keyPrefix: string;
  breaker: BreakerOptions;
  downLogIntervalMs: number;
  logger: Logger;
  metrics?: Registry;
}

/** The process's Redis: the RedisPort plus what the composition root and BullMQ need. */
export interface RedisService extends RedisPort {
  readonly keys: RedisKeys;
  /** When Redis last became usable (epoch ms); undefined while it is not. */
  upSince(): number | undefined;
  /** A new connection configured for a BullMQ worker; the caller closes it. */
  createWorkerConnection(): Redis;
  /** The request-path client (tests and diagnostics; callers use attempt/tryRun). */
  requestClient(): Redis;
  /**
   * A new fail-fast connection for a BullMQ producer, apart from the request path so commands
   * of other modules can never stall job adds (or the reverse); the caller closes it.
   */
  createProducerConnection(): Redis;
  /** Routes an error from another Redis connection (BullMQ) into the rate-limited log. */
  reportError(source: string, err: unknown): void;
  close(): Promise<void>;
}

const ok = <T>(value: T) => ({ ok: true as const, value });
const notOk = { ok: false as const };

/** Builds the Redis service: self-healing when a URL is set, disabled otherwise. */
export function createRedisService(opts: RedisServiceOptions): RedisService {
  const metrics = opts.metrics ? createRedisMetrics(opts.metrics) : undefined;
  if (!opts.url) return disabledRedis(redisKeys(opts.keyPrefix), metrics);
  return new SelfHealingRedis({ ...opts, url: opts.url }, metrics);
}

class SelfHealingRedis implements RedisService {
  readonly keys: RedisKeys;
  private readonly client: Redis;
  private readonly breaker: CircuitBreaker;
  private readonly log: RedisStatusLog;
  private connected = false;
  private current: RedisState | 'starting' = 'starting';
  private since: number | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly opts: RedisServiceOptions & { url: string },
    private readonly metrics: RedisMetrics | undefined,
  ) {
    this.keys = redisKeys(opts.keyPrefix);
    this.log = new RedisStatusLog(opts.logger, opts.downLogIntervalMs);
    this.breaker = new CircuitBreaker(opts.breaker, (s) => {
      if (s === 'open') this.scheduleProbe();
      this.update(s === 'open' ? 'circuit breaker opened' : 'circuit breaker closed');
    });
    metrics?.setState('down');
    this.client = new Redis(opts.url, { ...requestPathOptions(opts), connectionName: 'steeple-request' });
    this.client.on('ready', () => {
      this.connected = true;
      // A fresh connection passed its ready check: earlier timeouts say nothing about it.
      this.breaker.reset();
      this.update('connected');
    });
    this.client.on('close', () => {
      this.connected = false;
      this.update('connection closed');
    });
    // Errors while up or starting end in a 'close', whose transition is the one line logged.
    this.client.on('error', (err) => {
      if (this.current === 'down') this.reportError('request-path', err);
    });
  }

  state(): RedisState {
    return this.current === 'up' ? 'up' : 'down';
  }

  isUsable(): boolean {
    return this.current === 'up';
  }

  upSince(): number | undefined {
    return this.since;
  }

  async attempt<T>(op: (client: Redis) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    if (!this.connected || !this.breaker.allow()) {
      this.metrics?.shortCircuit();
      return notOk;
    }
    try {
      const value = await op(this.client);
      this.breaker.success();
      return ok(value);
    } catch (err) {
      // A reply error (WRONGTYPE, script error) is a bug in the caller, not an unhealthy Redis.
      if (err instanceof ReplyError) {
        this.breaker.success();
        this.opts.logger.error({ err }, 'Redis command rejected');
      } else {
        this.metrics?.commandFailure();
        this.breaker.failure();
      }
      return notOk;
    }
  }

  async tryRun<T>(op: (client: Redis) => Promise<T>, fallback: T): Promise<T> {
    const r = await this.attempt(op);
    return r.ok ? r.value : fallback;
  }

  createWorkerConnection(): Redis {
    return new Redis(this.opts.url, workerOptions(this.opts));
  }

  requestClient(): Redis {
    return this.client;
  }

  createProducerConnection(): Redis {
    const c = new Redis(this.opts.url, {
      ...requestPathOptions(this.opts),
      connectionName: 'steeple-producer',
    });
    c.on('error', (err) => {
      if (this.current === 'down') this.reportError('producer', err);
    });
    return c;
  }

  reportError(source: string, err: unknown): void {
    if (this.closed) return;
    this.log.error(source, err);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probeTimer);
    this.client.disconnect(false);
  }

  private update(reason: string): void {
    if (this.closed) return;
    const next: RedisState = this.connected && this.breaker.state() === 'closed' ? 'up' : 'down';
    if (next === this.current) return;
    const first = this.current === 'starting';
    this.current = next;
    this.metrics?.setState(next);
    this.metrics?.transition(next);
    if (next === 'up') {
      this.since = Date.now();
      this.log.up();
    } else {
      this.since = undefined;
      this.log.down(first ? `unreachable at start (${reason})` : reason);
    }
  }

  /** While open, one PING probes Redis after each reset period, so recovery needs no traffic. */
  private scheduleProbe(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      if (this.closed || !this.connected || this.breaker.state() === 'closed') return;
      if (!this.breaker.allow()) return this.scheduleProbe();
      this.client.ping().then(
        () => this.breaker.success(),
        () => {
          this.breaker.failure();
          this.scheduleProbe();
        },
      );
    }, this.opts.breaker.resetMs);
    this.probeTimer.unref();
  }
}

function disabledRedis(keys: RedisKeys, metrics: RedisMetrics | undefined): RedisService {
  metrics?.setState('disabled');
  const fail = () => {
    throw new Error('Redis is disabled (REDIS_URL is not set)');
  };
  return {
    keys,
    state: () => 'disabled',
    isUsable: () => false,
    upSince: () => undefined,
    attempt: async () => notOk,
    tryRun: async (_op, fallback) => fallback,
    createWorkerConnection: fail,
    requestClient: fail,
    createProducerConnection: fail,
    reportError: () => {},
    close: async () => {},
  };
}
