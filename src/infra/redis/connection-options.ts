import type { RedisOptions } from 'ioredis';
import { type BackoffOptions, reconnectDelay } from './backoff.js';

export interface ConnectionSettings {
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  reconnect: BackoffOptions;
}

/** Reconnect forever: ioredis stops reconnecting only if this returns a non-number. */
const retryForever = (reconnect: BackoffOptions) => (times: number) => reconnectDelay(times, reconnect);

/**
 * The request-path client: a command either runs now or fails at once (no offline queue, one
 * retry, a short command timeout), so a request never waits on Redis longer than commandTimeout.
 */
export function requestPathOptions(s: ConnectionSettings): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: s.commandTimeoutMs,
    connectTimeout: s.connectTimeoutMs,
    retryStrategy: retryForever(s.reconnect),
    // Commands that timed out were already answered with the fallback: never replay them.
    autoResendUnfulfilledCommands: false,
    enableReadyCheck: true,
    lazyConnect: false,
  };
}

/**
 * A BullMQ worker connection: BullMQ requires `maxRetriesPerRequest: null` (blocking commands
 * wait for jobs) and an offline queue, and reconnects with the same back-off as the request path.
 */
export function workerOptions(s: ConnectionSettings): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: s.connectTimeoutMs,
    retryStrategy: retryForever(s.reconnect),
    enableReadyCheck: true,
  };
}
