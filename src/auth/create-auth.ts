import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { RedisPort } from '../infra/redis/redis-port.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantDatabases } from '../tenancy/tenant-database.js';
import { AccessTokens } from './access-token.js';
import type { AuthRedisKeys } from './auth-redis-keys.js';
import { AuthService } from './auth.service.js';
import { FailureCounters } from './failure-counters.js';
import { FairConcurrencyLimit } from './fair-concurrency-limit.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password.js';
import { RevocationStore } from './revocation-store.js';
import { TenantStatusCache } from './tenant-status-cache.js';

/** Everything the HTTP layer needs for authentication, built once per process. */
export interface AuthRuntime {
  tokens: AccessTokens;
  hasher: PasswordHasher;
  revocations: RevocationStore;
  throttle: LoginThrottle;
  tenantStatus: TenantStatusCache;
  service: AuthService;
  /** Stops the purge timer. */
  close(): void;
}

export interface AuthDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  /** The process's Redis (RedisService), when configured. */
  redis?: RedisPort & { keys: AuthRedisKeys };
  logger: Logger;
}

// argon2id holds ~19 MiB per call: 4 at once and 64 waiting bounds it to under 100 MiB.
const HASH_CONCURRENCY = 4;
const HASH_QUEUE = 64;
// One church runs one hash at a time: its flood leaves the other three, and the cores, to every
// other church's logins (a hash then starts at once instead of queueing).
const HASH_PER_CHURCH = 1;
// Logins in progress (lookups, hash, session): 2 per church, and a deep queue, because a waiting
// login costs almost nothing while a refused one comes straight back.
const LOGIN_CONCURRENCY = 8;
const LOGIN_PER_CHURCH = 2;
const LOGIN_QUEUE = 256;
const PURGE_EVERY_MS = 10 * 60_000;

/** Wires tokens, hashing, revocations and throttling over the catalog, tenants and Redis. */
export function createAuth(config: Pick<Config, 'auth' | 'dataDir'>, deps: AuthDeps): AuthRuntime {
  const keys = deps.redis?.keys;
  const tokens = new AccessTokens(resolveJwtSecret(config, deps.logger));
  const hasher = new PasswordHasher({
    maxConcurrent: HASH_CONCURRENCY,
    maxQueued: HASH_QUEUE,
    maxPerChurch: HASH_PER_CHURCH,
  });
  const revocations = new RevocationStore(deps.catalog);
  const counters = new FailureCounters(deps.catalog, deps.redis, keys);
  const throttle = new LoginThrottle(counters, {
    ipFailureLimit: config.auth.loginIpFailureLimit,
    accountSuccessLimit: config.auth.loginSuccessLimit,
    ipSuccessLimit: config.auth.loginIpSuccessLimit,
  });
  const tenantStatus = new TenantStatusCache(deps.catalog);
  const service = new AuthService({
    catalog: deps.catalog,
    tenants: deps.tenants,
    tokens,
    hasher,
    revocations,
    throttle,
    logins: new FairConcurrencyLimit({
      max: LOGIN_CONCURRENCY,
      maxPerGroup: LOGIN_PER_CHURCH,
      maxQueued: LOGIN_QUEUE,
    }),
    logger: deps.logger,
  });

  const purge = setInterval(() => {
    void Promise.all([revocations.purgeExpired(), counters.purgeExpired()]).catch((err) =>
      deps.logger.warn({ err }, 'purging expired revocations failed'),
    );
  }, PURGE_EVERY_MS);
  purge.unref();

  return {
    tokens,
    hasher,
    revocations,
    throttle,
    tenantStatus,
    service,
    close: () => clearInterval(purge),
  };
}
