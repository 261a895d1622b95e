/**
 * Running the gateway: rate limits, CORS, readiness, and a shutdown that lets requests in
 * flight finish.
 */
import { freePort } from '@wren/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readGatewayConfig, startGateway } from '../src/index.js';
import { account, tokenPair } from './support/fixtures.js';
import { type Harness, send, startHarness } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { type ScriptedUserService, startScriptedUserService } from './support/scripted-user-service.js';
import { signTestToken } from './support/tokens.js';

describe('rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ RATE_LIMIT_MAX: '3', RATE_LIMIT_AUTH_MAX: '2', RATE_LIMIT_WINDOW_MS: '60000' });
    h.user.on('getMe', async () => ({ account: account() }));
    h.user.on('login', async () => ({ account: account(), tokens: tokenPair() }));
    h.user.on('getProfile', async () => {
      throw new Error('not scripted');
    });
  });
  afterAll(() => h?.stop());

  test('each user has a budget of their own; draft-spec headers count it down', async () => {
    const alice = await signTestToken();
    const bob = await signTestToken();
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await h.fetch('/v1/me', { token: alice });
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await h.fetch('/v1/me', { token: alice });
    const problem = await expectProblem(limited, 429, 'rate-limited', { instance: '/v1/me' });
    expect(problem.detail).toMatch(/try again in/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    // Bob shares the address but not the budget.
    expect((await h.fetch('/v1/me', { token: bob })).status).toBe(200);
  });

  test('login has its own, stricter budget per address', async () => {
    const login = () => h.fetch('/v1/auth/login', { method: 'POST', json: { login: 'ada', password: 'secret' } });
    expect((await login()).status).toBe(200);
    const second = await login();
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-limit')).toBe('2');
    const third = await login();
    await expectProblem(third, 429, 'rate-limited');
    expect(third.headers.get('retry-after')).not.toBeNull();
  });

  test('probes and docs are never limited', async () => {
    for (let i = 0; i < 8; i++) {
      for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
        const response = await h.fetch(path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('ratelimit-limit')).toBeNull();
        await response.arrayBuffer();
      }
    }
  });
});

describe('CORS', () => {
  const preflight = (h: Harness, origin: string) =>
    h.fetch('/v1/me', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' },
    });

  describe('with a list of origins', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ CORS_ORIGINS: 'https://app.wren.example, https://admin.wren.example' });
    });
    afterAll(() => h?.stop());

    test('a listed origin may call, with the headers it needs exposed', async () => {
      const response = await preflight(h, 'https://app.wren.example');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.wren.example');
      expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      const actual = await h.fetch('/v1/me', { headers: { origin: 'https://admin.wren.example' } });
      expect(actual.status).toBe(401);
      expect(actual.headers.get('access-control-allow-origin')).toBe('https://admin.wren.example');
      const exposed = actual.headers.get('access-control-expose-headers') ?? '';
      for (const header of [
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'Retry-After',
        'Link',
        'X-Request-Id',
      ]) {
        expect(exposed).toContain(header);
      }
    });

    test('another origin gets no permission', async () => {
      const response = await preflight(h, 'https://evil.example');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const actual = await h.fetch('/healthz', { headers: { origin: 'https://evil.example' } });
      expect(actual.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  test('`*` allows any origin; an empty list allows none', async () => {
    const any = await startHarness({ CORS_ORIGINS: '*' });
    const none = await startHarness({ CORS_ORIGINS: '' });
    try {
      expect((await preflight(any, 'https://anywhere.example')).headers.get('access-control-allow-origin')).toBe('*');
      const refused = await preflight(none, 'https://app.wren.example');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      await expectProblem(refused, 404, 'not-found');
    } finally {
      await any.stop();
      await none.stop();
    }
  });
});

describe('readiness', () => {
  let user: ScriptedUserService;
  let closedPort: number;
  beforeAll(async () => {
    user = await startScriptedUserService();
    closedPort = await freePort();
  });
  afterAll(() => user?.stop());
  afterEach(() => user.reset());

  const gatewayFor = (post: string, notification: string) =>
    startGateway(
      readGatewayConfig({
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        PORT: '0',
        ADMIN_HOST: '127.0.0.1',
        ADMIN_PORT: '0',
        USER_SERVICE_ADDR: user.addr,
        POST_SERVICE_ADDR: post,
        NOTIFICATION_SERVICE_ADDR: notification,
      }),
    );

  test('503 naming each service that is not serving; liveness does not care', async () => {
    const gateway = await gatewayFor(user.addr, `127.0.0.1:${closedPort}`);
    try {
      const response = await send(gateway.url, '/readyz');
      const problem = await expectProblem(response, 503, 'not-ready', { instance: '/readyz' });
      expect(problem.services).toEqual({
        'user-service': 'SERVING',
        'post-service': 'SERVING',
        'notification-service': 'UNAVAILABLE',
      });
      expect(problem.detail).toBe('Not serving: notification-service.');
      expect((await send(gateway.url, '/healthz')).status).toBe(200);

      user.health.setStatus('unhealthy');
      const draining = (await (await send(gateway.url, '/readyz')).json()) as { services: Record<string, string> };
      expect(draining.services['user-service']).toBe('NOT_SERVING');
    } finally {
      await gateway.stop();
    }
  });

  test('200 once every service serves', async () => {
    const gateway = await gatewayFor(user.addr, user.addr);
    try {
      const response = await send(gateway.url, '/readyz');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ready',
        services: { 'user-service': 'SERVING', 'post-service': 'SERVING', 'notification-service': 'SERVING' },
      });
    } finally {
      await gateway.stop();
    }
  });
});

test('stop lets a request in flight finish, then refuses new connections', async () => {
  const h = await startHarness();
  let release: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    h.user.on('getMe', async () => {
      resolve();
      await new Promise<void>((done) => {
        release = done;
      });
      return { account: account() };
    });
  });
  const inFlight = h.fetch('/v1/me', { token: await signTestToken() });
  await started;
  const stopped = h.stop();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const released = performance.now();
  release();
  const response = await inFlight;
  expect(response.status).toBe(200);
  expect(((await response.json()) as { username: string }).username).toBe('ada');
  await stopped;
  // The answered connection is closed at once, not kept alive until the 10 s grace runs out.
  expect(performance.now() - released).toBeLessThan(3000);
  await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
});
