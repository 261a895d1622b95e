/**
 * Rate limits. Counts are kept in memory by default (right for one gateway: with several
 * replicas each would allow the whole limit); RATE_LIMIT_REDIS_URL keeps them in Redis,
 * shared by every replica (rate-limit-store.ts; docs/decisions/0009). The API under /v1 is
 * limited per user when the request carries a valid token, else per client address; login
 * and register have a much smaller budget per address, against credential stuffing and
 * sign-up floods. Probes and the docs are never limited: a kubelet must not be throttled
 * into restarting us.
 */
import { isIPv6 } from 'node:net';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { Logger } from '@wren/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { RateLimitConfig } from './config.js';
import { ProblemError } from './errors.js';
import { redisRateLimitStore } from './rate-limit-store.js';

/**
 * The key for an address. An IPv6 client usually holds a whole /64, so counting single
 * addresses would let it rotate past any limit; IPv4-mapped addresses count as IPv4.
 */
export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const address = ip.toLowerCase().split('%')[0] ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const full = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${full
    .slice(0, 4)
    .map((group) => group.padStart(4, '0'))
    .join(':')}::/64`;
}

/** How long a starting gateway waits for the shared store before it serves without it. */
const STORE_CONNECT_WAIT_MS = 3000;

const byAddress = (request: FastifyRequest): string => `ip:${addressKey(request.ip)}`;
const byCaller = (request: FastifyRequest): string =>
  request.caller ? `user:${request.caller.userId}` : byAddress(request);

const tooMany = (_request: FastifyRequest, context: { after: string }) =>
  new ProblemError('rate-limited', `Too many requests; try again in ${context.after}.`);

export async function registerRateLimits(
  app: FastifyInstance,
  config: RateLimitConfig,
  deps: { logger: Logger; registry: Registry },
): Promise<void> {
  const shared = config.redisUrl ? redisRateLimitStore(config.redisUrl, deps) : undefined;
  if (shared) {
    app.addHook('onClose', () => shared.close());
    await shared.connected(STORE_CONNECT_WAIT_MS);
  }
  await app.register(rateLimit, {
    ...(shared && { store: shared.store, skipOnError: true }),
    global: true,
    max: config.globalMax,
    timeWindow: config.windowMs,
    // IETF draft names: RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset (+ Retry-After).
    enableDraftSpec: true,
    keyGenerator: byCaller,
    allowList: (request) => !request.routeOptions.url?.startsWith('/v1/'),
    errorResponseBuilder: tooMany,
  });
}

/** Route config for login and register: the strict budget, per address, per route. */
export function credentialRateLimit(config: RateLimitConfig): RateLimitOptions {
  return { max: config.authMax, timeWindow: config.windowMs, keyGenerator: byAddress };
}
