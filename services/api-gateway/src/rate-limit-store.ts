/**
 * The shared rate-limit store: counts kept in Redis, so that every gateway replica spends
 * one budget per client instead of each its own.
 *
 * When Redis is unreachable the limiter fails open: the request is served uncounted, and
 * a warning and `gateway_rate_limit_store_errors_total` tell the operator. Limits guard
 * against abuse; refusing every request because the counter is away would turn a Redis
 * outage into a total outage of the API, which is worse than a short unlimited spell
 * (login still costs an argon2 hash, and each service keeps its own protections).
 */
import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitOptions } from '@fastify/rate-limit';
import type { Logger } from '@wren/platform';
import { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';

// The plugin ships its Redis store (a Lua script doing INCR and PEXPIRE in one round trip)
// but exports it only by path, without types.
type RedisStoreCtor = new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => FastifyRateLimitStore;
const PluginRedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as RedisStoreCtor;

/** A warning at most this often while Redis stays away: one per request would flood the log. */
const WARN_EVERY_MS = 10_000;

/** Passes counting through to `inner`, reporting each failure before the plugin fails open. */
class ObservedStore implements FastifyRateLimitStore {
  constructor(
    private readonly inner: FastifyRateLimitStore,
    private readonly onError: (error: Error) => void,
  ) {}

  incr(...[key, callback, timeWindow, max]: Parameters<FastifyRateLimitStore['incr']>): void {
    this.inner.incr(
      key,
      (error, result) => {
        if (error) this.onError(error);
        callback(error, result);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    return new ObservedStore(this.inner.child(routeOptions), this.onError);
  }
}

export interface SharedStore {
  /** The `store` option of @fastify/rate-limit. */
  store: FastifyRateLimitStoreCtor;
  /**
   * Resolves once Redis is connected, or after `timeoutMs` without it (then the gateway
   * starts failing open, and says so). Without this wait the first requests of a fresh
   * gateway would find no connection yet and all go uncounted.
   */
  connected(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export function redisRateLimitStore(url: string, deps: { logger: Logger; registry: Registry }): SharedStore {
  const redis = new Redis(url, {
    // Without Redis a request must not wait: no queue while disconnected, one short try.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 500,
    // Reconnect quickly, but never give up: Redis coming back must need no restart.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  const errors = new Counter({
    name: 'gateway_rate_limit_store_errors_total',
    help: 'Requests served without counting because the shared rate-limit store (Redis) failed.',
    registers: [deps.registry],
  });
  let lastWarning = 0;
  const failedOpen = (error: Error) => {
    errors.inc();
    if (Date.now() - lastWarning < WARN_EVERY_MS) return;
    lastWarning = Date.now();
    deps.logger.warn({ err: error }, 'rate-limit store unavailable; serving requests without limits');
  };
  // Connection errors are also reported per request above; this listener keeps ioredis from
  // printing each reconnect attempt as an unhandled error.
  redis.on('error', () => {});

  // The plugin constructs the store with its own options; the counting stays the plugin's.
  class SharedRedisStore extends ObservedStore {
    constructor(options: RateLimitOptions) {
      super(
        new PluginRedisStore(
          options.continueExceeding ?? false,
          options.exponentialBackoff ?? false,
          redis,
          'wren-rate-limit:',
        ),
        failedOpen,
      );
    }
  }
  return {
    store: SharedRedisStore,
    async connected(timeoutMs) {
      if (redis.status === 'ready') return;
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true)));
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const isReady = await Promise.race([ready, late]);
      clearTimeout(timer);
      if (!isReady) {
        deps.logger.warn({ timeoutMs }, 'rate-limit store not reachable at start; serving without limits until it is');
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
