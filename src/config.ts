import path from 'node:path';
import { z } from 'zod';

/** Environment variables may arrive as strings; `''` means "unset" (a blank line in .env). */
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const bool = (def: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );
const pgUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    blankToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  PORT: int(3000, 0, 65535),
  HOST: z.preprocess(blankToUndefined, z.string().min(1).default('0.0.0.0')),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().min(1).default('./data')),
  DATABASE_URL: z.preprocess(blankToUndefined, pgUrl.optional()),
  TENANT_DB_SERVERS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      )
      .pipe(z.array(pgUrl)),
  ),
  REDIS_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  REDIS_COMMAND_TIMEOUT_MS: int(300, 10, 60_000),
  REDIS_KEY_PREFIX: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .default('steeple'),
  ),
  REDIS_CONNECT_TIMEOUT_MS: int(2000, 50, 60_000),
  REDIS_RECONNECT_MAX_MS: int(3000, 100, 60_000),
  REDIS_BREAKER_FAILURES: int(5, 1, 10_000),
  REDIS_BREAKER_WINDOW_MS: int(10_000, 100, 3_600_000),
  REDIS_BREAKER_RESET_MS: int(5000, 50, 3_600_000),
  REDIS_DOWN_LOG_INTERVAL_MS: int(60_000, 100, 3_600_000),
  // Provisioning mostly waits on PostgreSQL (CREATE DATABASE, first connection): 8 keeps a server busy.
  JOBS_CONCURRENCY: int(8, 1, 256),
  JOBS_MAX_PENDING: int(10_000, 1, 10_000_000),
  JOBS_STALLED_INTERVAL_MS: int(30_000, 100, 3_600_000),
  JOBS_WATCHDOG_GRACE_MS: int(5000, 100, 600_000),
  ENABLE_QUEUES: bool(true),
  WORKERS_IN_PROCESS: bool(true),
  JWT_SECRET: z.preprocess(blankToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  OPS_TOKEN: z.preprocess(blankToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  // false | true (trust every hop) | a hop count | comma-separated proxy addresses or CIDRs.
  TRUST_PROXY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('false')
      .transform((v, ctx) => {
        if (v === 'false' || v === '0') return false;
        if (v === 'true') return true;
        if (/^[1-9][0-9]?$/.test(v)) return Number(v);
        const list = v.split(',').map((x) => x.trim());
        if (list.every((x) => /^[0-9a-fA-F.:]+(\/[0-9]{1,3})?$/.test(x))) return list;
        ctx.addIssue({ code: 'custom', message: 'must be false, true, a hop count or proxy addresses' });
        return z.NEVER;
      }),
  ),
  // A request must arrive whole (headers and body) within this; a stalled one gets 408 and its
  // socket is closed. The same bound is the socket's idle timeout while a request is open.
  REQUEST_TIMEOUT_MS: int(30_000, 100, 600_000),
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
  // Longer than the 60 s idle timeout of common load balancers, so they close idle sockets first.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(72_000, 100, 600_000),
  TENANT_MAX_INFLIGHT: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).optional()),
  TENANT_CACHE_MAX: int(100, 1, 100_000),
  TENANT_CLOSE_TIMEOUT_MS: int(5000, 1, 600_000),
  TENANT_IDLE_TIMEOUT_MS: int(30 * 60_000, 1000),
  TENANT_POOL_MAX: int(2, 1, 100),
  TENANT_CONNECTION_BUDGET: int(80, 1, 10_000),
  TENANT_ACQUIRE_TIMEOUT_MS: int(5000, 1, 600_000),
  TENANT_PREWARM: int(10, 0, 10_000),
  TENANT_SQLITE_CACHE_KB: int(2048, 64, 1_048_576),
  TENANT_STATEMENT_TIMEOUT_MS: int(10_000, 100, 3_600_000),
  TENANT_CONNECT_TIMEOUT_MS: int(5000, 100, 600_000),
  TENANT_DELETE_GRACE_DAYS: int(30, 0, 3650),
  // A moved church's old database is kept (fenced: no writes) this long, as a way back.
  TENANT_MOVE_GRACE_DAYS: int(7, 0, 3650),
  // Per PostgreSQL server: a signup takes a spare instead of cloning the template. Each costs a
  // template's disk (~8.4 MB); the two oldest a connection each per process. Sized for a normal
  // day; operators expecting a burst of N signups raise it to about N (docs/deployment.md).
  TENANT_SPARE_DATABASES: int(5, 0, 1000),
  REGISTRATION_WAIT_MS: int(10_000, 0, 120_000),
  REGISTRATION_RATE_LIMIT: int(30, 0, 1_000_000),
  RECONCILE_INTERVAL_MS: int(60_000, 1000),
  REGISTRATION_LEASE_MS: int(60_000, 1000, 3_600_000),
  REGISTRATION_PENDING_GRACE_MS: int(30_000, 1000, 3_600_000),
  LOGIN_IP_FAILURE_LIMIT: int(50, 1, 1_000_000),
  // Successful logins are limited too: each costs an argon2 verification. Sessions last through
  // refresh tokens, so a person logs in a few times a day; an office behind one address shares
  // the per-IP figure.
  LOGIN_SUCCESS_LIMIT: int(30, 1, 1_000_000),
  LOGIN_IP_SUCCESS_LIMIT: int(300, 1, 1_000_000),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 600_000),
  PUBLIC_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be an http(s):// URL without query or fragment')
      .optional(),
  ),
  SMTP_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: z.preprocess(
    blankToUndefined,
    z.string().min(3).max(300).default('Steeple <no-reply@localhost>'),
  ),
  // Transient failures back off from the base, doubling up to the cap, until the message is this old.
  MAIL_RETRY_BASE_MS: int(30_000, 10, 3_600_000),
  MAIL_RETRY_MAX_MS: int(15 * 60_000, 10, 24 * 3_600_000),
  MAIL_GIVE_UP_MS: int(3 * 24 * 3_600_000, 1000),
  // A send claimed this long ago by a process that died is taken over (a send never takes this long).
  MAIL_CLAIM_MS: int(5 * 60_000, 100, 3_600_000),
  MAIL_SWEEP_INTERVAL_MS: int(30_000, 50, 3_600_000),
  MAIL_CONCURRENCY: int(4, 1, 64),
  STATEMENT_RECEIPT_TEXT: z.preprocess(blankToUndefined, z.string().min(1).max(2000).optional()),
  STATEMENT_WORKERS: int(2, 1, 32),
});

export type Env = Record<string, string | undefined>;

/** The one typed, frozen view of the environment. Only this module reads variables. */
export interface Config {
  env: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    trustProxy: boolean | number | string[];
    /** Whole request (headers and body) within this, else 408; also the idle timeout of an open request. */
    requestTimeoutMs: number;
    /** Headers within this (never more than requestTimeoutMs). */
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
  };
  dataDir: string;
  /** Catalog location: a SQLite file under dataDir unless DATABASE_URL is a postgres URL. */
  catalog: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };
  tenantDbServers: readonly string[];
  redis: {
    url: string | undefined;
    commandTimeoutMs: number;
    keyPrefix: string;
    connectTimeoutMs: number;
    reconnectMaxMs: number;
    breaker: { failureThreshold: number; windowMs: number; resetMs: number };
    downLogIntervalMs: number;
  };
  queues: {
    enabled: boolean;
    workersInProcess: boolean;
    concurrency: number;
    maxPending: number;
    stalledIntervalMs: number;
    watchdogGraceMs: number;
  };
  auth: {
    jwtSecret: string | undefined;
    opsToken: string | undefined;
    loginIpFailureLimit: number;
    /** Successful logins per account, and per client IP, in 15 minutes. */
    loginSuccessLimit: number;
    loginIpSuccessLimit: number;
  };
  logLevel: string;
  tenant: {
    cacheMax: number;
    closeTimeoutMs: number;
    idleTimeoutMs: number;
    poolMax: number;
    connectionBudget: number;
    acquireTimeoutMs: number;
    prewarm: number;
    sqliteCacheKb: number;
    statementTimeoutMs: number;
    connectTimeoutMs: number;
    deleteGraceDays: number;
    /** Days a moved church's old database is kept before it is dropped. */
    moveGraceDays: number;
    /** Spare databases kept ready per PostgreSQL tenant server (0: clone on demand). */
    sparesPerServer: number;
    /** Requests of one church in flight at once; over it that church alone gets 429. */
    maxInflight: number;
  };
  registration: {
    waitMs: number;
    rateLimitPerHour: number;
    reconcileIntervalMs: number;
    /** How long a worker's claim on a registration lasts; a dead worker's claim is retaken after it. */
    leaseMs: number;
    /** A registration still pending after this long is assumed lost by its queue and re-dispatched. */
    pendingGraceMs: number;
  };
  /** Where people reach the web console: links in emails start with it (no trailing slash). */
  publicUrl: string;
  mail: {
    /** unset: every message is written as an .eml file under DATA_DIR/mail. */
    smtpUrl: string | undefined;
    from: string;
    retryBaseMs: number;
    retryMaxMs: number;
    giveUpMs: number;
    claimMs: number;
    sweepIntervalMs: number;
    concurrency: number;
  };
  statements: {
    /** The tax-receipt sentence printed on year-end statements (unset: the statements' own default). */
    receiptText: string | undefined;
    /** Worker threads that render statement PDFs. */
    workers: number;
  };
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates the environment once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid JWT_SECRET: required when NODE_ENV=production');
  }
  // Without a token, operator routes trust loopback clients: behind a same-host proxy that is everyone.
  if (e.NODE_ENV === 'production' && !e.OPS_TOKEN) {
    throw new ConfigError('Invalid OPS_TOKEN: required when NODE_ENV=production');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy: e.TRUST_PROXY,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: Math.min(e.HTTP_HEADERS_TIMEOUT_MS, e.REQUEST_TIMEOUT_MS),
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    dataDir,
    catalog: e.DATABASE_URL
      ? { dialect: 'postgres', url: e.DATABASE_URL }
      : { dialect: 'sqlite', file: path.join(dataDir, 'catalog.db') },
    tenantDbServers: e.TENANT_DB_SERVERS,
    redis: {
      url: e.REDIS_URL,
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      keyPrefix: e.REDIS_KEY_PREFIX,
      connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
      reconnectMaxMs: e.REDIS_RECONNECT_MAX_MS,
      breaker: {
        failureThreshold: e.REDIS_BREAKER_FAILURES,
        windowMs: e.REDIS_BREAKER_WINDOW_MS,
        resetMs: e.REDIS_BREAKER_RESET_MS,
      },
      downLogIntervalMs: e.REDIS_DOWN_LOG_INTERVAL_MS,
    },
    queues: {
      enabled: e.ENABLE_QUEUES,
      workersInProcess: e.WORKERS_IN_PROCESS,
      concurrency: e.JOBS_CONCURRENCY,
      maxPending: e.JOBS_MAX_PENDING,
      stalledIntervalMs: e.JOBS_STALLED_INTERVAL_MS,
      watchdogGraceMs: e.JOBS_WATCHDOG_GRACE_MS,
    },
    auth: {
      jwtSecret: e.JWT_SECRET,
      opsToken: e.OPS_TOKEN,
      loginIpFailureLimit: e.LOGIN_IP_FAILURE_LIMIT,
      loginSuccessLimit: e.LOGIN_SUCCESS_LIMIT,
      loginIpSuccessLimit: e.LOGIN_IP_SUCCESS_LIMIT,
    },
    logLevel: e.LOG_LEVEL,
    tenant: {
      cacheMax: e.TENANT_CACHE_MAX,
      closeTimeoutMs: e.TENANT_CLOSE_TIMEOUT_MS,
      idleTimeoutMs: e.TENANT_IDLE_TIMEOUT_MS,
      poolMax: e.TENANT_POOL_MAX,
      connectionBudget: e.TENANT_CONNECTION_BUDGET,
      acquireTimeoutMs: e.TENANT_ACQUIRE_TIMEOUT_MS,
      prewarm: e.TENANT_PREWARM,
      sqliteCacheKb: e.TENANT_SQLITE_CACHE_KB,
      statementTimeoutMs: e.TENANT_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: e.TENANT_CONNECT_TIMEOUT_MS,
      deleteGraceDays: e.TENANT_DELETE_GRACE_DAYS,
      moveGraceDays: e.TENANT_MOVE_GRACE_DAYS,
      sparesPerServer: e.TENANT_SPARE_DATABASES,
      // A fair share: one church may hold at most a quarter of the handles the process keeps
      // open and of the PostgreSQL connection budget, so it can never crowd the others out.
      maxInflight:
        e.TENANT_MAX_INFLIGHT ??
        Math.max(4, Math.floor(Math.min(e.TENANT_CACHE_MAX, e.TENANT_CONNECTION_BUDGET) / 4)),
    },
    registration: {
      waitMs: e.REGISTRATION_WAIT_MS,
      rateLimitPerHour: e.REGISTRATION_RATE_LIMIT,
      reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
      leaseMs: e.REGISTRATION_LEASE_MS,
      pendingGraceMs: e.REGISTRATION_PENDING_GRACE_MS,
    },
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      retryBaseMs: e.MAIL_RETRY_BASE_MS,
      retryMaxMs: e.MAIL_RETRY_MAX_MS,
      giveUpMs: e.MAIL_GIVE_UP_MS,
      claimMs: e.MAIL_CLAIM_MS,
      sweepIntervalMs: e.MAIL_SWEEP_INTERVAL_MS,
      concurrency: e.MAIL_CONCURRENCY,
    },
    statements: {
      receiptText: e.STATEMENT_RECEIPT_TEXT,
      workers: e.STATEMENT_WORKERS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
  return deepFreeze(config);
}

/** Reads `.env` (when present) under the real environment, which wins. Used by entry points only. */
export async function loadEnvironment(): Promise<Env> {
  const { config } = await import('dotenv');
  const fromFile: Record<string, string> = {};
  config({ processEnv: fromFile, quiet: true });
  return { ...fromFile, ...process.env };
}

function deepFreeze<T>(o: T): T {
  for (const v of Object.values(o as object)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
