/** End to end: the strict budget on credentials, on a system of its own with small limits. */
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let user: SignedInUser;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '3', RATE_LIMIT_MAX: '50' } });
  user = await registerUser(system.gatewayUrl, 'limited');
});
afterAll(() => system?.stop());

test('login: every attempt counts; past the limit a 429 says when to come back', async () => {
  const login = (password: string) =>
    send(system.gatewayUrl, '/v1/auth/login', { method: 'POST', json: { login: user.username, password } });

  const first = await login('wrong guess 1');
  expect(first.status).toBe(401);
  expect(first.headers.get('ratelimit-limit')).toBe('3');
  expect(first.headers.get('ratelimit-remaining')).toBe('2');
  expect((await login('wrong guess 2')).status).toBe(401);
  const third = await login(user.password);
  expect(third.status).toBe(200);
  expect(third.headers.get('ratelimit-remaining')).toBe('0');

  // Even the right password waits now.
  const limited = await login(user.password);
  await expectProblem(limited, 429, 'rate-limited', { instance: '/v1/auth/login' });
  const retryAfter = Number(limited.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(limited.headers.get('ratelimit-limit')).toBe('3');
  expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);

  // The rest of the API keeps its own, larger budget.
  const me = await send(system.gatewayUrl, '/v1/me', { token: user.tokens.accessToken });
  expect(me.status).toBe(200);
  expect(me.headers.get('ratelimit-limit')).toBe('50');
});
