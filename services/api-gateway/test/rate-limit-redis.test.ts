/**
 * The shared rate-limit store against a real Redis: counts live in Redis; while Redis is
 * away the gateway fails open (serves, warns once, counts the failures); when it is back,
 * limits apply again without a restart of the gateway.
 */
import { freePort } from '@wren/testkit';
import { type RedisServer, startRedisServer } from '@wren/testkit/redis-server';
import { ServerError, Status } from 'nice-grpc-common';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { type RunningGateway, readGatewayConfig, startGateway } from '../src/index.js';
import { send } from './support/harness.js';
import {
  type ScriptedNotificationService,
  startScriptedNotificationService,
} from './support/scripted-notification-service.js';
import { type ScriptedPostService, startScriptedPostService } from './support/scripted-post-service.js';
import { type ScriptedUserService, startScriptedUserService } from './support/scripted-user-service.js';

const AUTH_MAX = 2;
let redis: RedisServer;
let user: ScriptedUserService;
let post: ScriptedPostService;
let notification: ScriptedNotificationService;
let gateway: RunningGateway;
const logged: { level: number; msg: string }[] = [];

/** A gateway on free ports in front of the scripted services, counting in `redisUrl`. */
const gatewayConfig = (redisUrl: string) =>
  readGatewayConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    ADMIN_HOST: '127.0.0.1',
    ADMIN_PORT: '0',
    USER_SERVICE_ADDR: user.addr,
    POST_SERVICE_ADDR: post.addr,
    NOTIFICATION_SERVICE_ADDR: notification.addr,
    RATE_LIMIT_AUTH_MAX: String(AUTH_MAX),
    RATE_LIMIT_REDIS_URL: redisUrl,
  });

beforeAll(async () => {
  redis = await startRedisServer();
  user = await startScriptedUserService();
  post = await startScriptedPostService();
  notification = await startScriptedNotificationService();
  user.on('login', async () => {
    throw new ServerError(Status.UNAUTHENTICATED, 'wrong password');
  });
  const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  gateway = await startGateway(gatewayConfig(redis.url), { logger });
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([user?.stop(), post?.stop(), notification?.stop()]);
  await redis?.stop();
});

const login = () =>
  send(gateway.url, '/v1/auth/login', { method: 'POST', json: { login: 'someone', password: 'guess' } });

async function storeErrors(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${gateway.adminPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('gateway_rate_limit_store_errors_total'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/** Sends logins until one is refused; the statuses seen. */
async function untilLimited(attempts: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const status = (await login()).status;
    statuses.push(status);
    if (status === 429) break;
  }
  return statuses;
}

test('counts in Redis; with Redis away, serves uncounted and says so; with it back, limits again', async () => {
  expect(await untilLimited(AUTH_MAX + 1)).toEqual([401, 401, 429]);
  const counted = await redisKeys();
  expect(counted.some((key) => key.startsWith('wren-rate-limit:'))).toBe(true);

  await redis.stop();
  // Fail open: far past the budget, every attempt reaches the service.
  const whileAway = await Promise.all(Array.from({ length: 5 }, () => login().then((r) => r.status)));
  expect(whileAway).toEqual([401, 401, 401, 401, 401]);
  expect(await storeErrors()).toBeGreaterThanOrEqual(5);
  const warnings = logged.filter((line) => line.msg.includes('rate-limit store unavailable'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]?.level).toBe(40);

  // The same Redis address comes back (empty, as a restarted Redis without persistence is).
  redis = await startRedisServer({ port: redis.port });
  await vi.waitFor(async () => expect(await untilLimited(AUTH_MAX + 1)).toContain(429), {
    timeout: 10_000,
    interval: 200,
  });
});

test('a gateway that starts before Redis answers counts from its first request once Redis is up', async () => {
  // Redis comes up a moment after the gateway begins to start, as in a fresh deployment.
  const port = await freePort();
  const redisLater = new Promise<RedisServer>((resolve, reject) => {
    setTimeout(() => startRedisServer({ port }).then(resolve, reject), 500);
  });
  const early = await startGateway(gatewayConfig(`redis://127.0.0.1:${port}`), { logger: pino({ level: 'silent' }) });
  const laterRedis = await redisLater;
  try {
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_MAX; i++) {
      statuses.push(
        (await send(early.url, '/v1/auth/login', { method: 'POST', json: { login: 'early', password: 'guess' } }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 429]);
  } finally {
    await early.stop();
    await laterRedis.stop();
  }
});

async function redisKeys(): Promise<string[]> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url);
  try {
    return await client.keys('*');
  } finally {
    client.disconnect();
  }
}

test('RATE_LIMIT_REDIS_URL must be a Redis URL; unset, counts stay in memory', () => {
  const base = { USER_SERVICE_ADDR: 'u:1', POST_SERVICE_ADDR: 'p:1', NOTIFICATION_SERVICE_ADDR: 'n:1' };
  expect(() => readGatewayConfig({ ...base, RATE_LIMIT_REDIS_URL: 'http://redis:6379' })).toThrow(
    /RATE_LIMIT_REDIS_URL must use redis or rediss/,
  );
  expect(readGatewayConfig(base).rateLimit.redisUrl).toBeUndefined();
  expect(readGatewayConfig({ ...base, RATE_LIMIT_REDIS_URL: 'rediss://cache:6380/0' }).rateLimit.redisUrl).toBe(
    'rediss://cache:6380/0',
  );
});
