/**
 * End to end through the gateway and the real services over real PostgreSQL: input that
 * used to come back as a 500 (a NUL PostgreSQL cannot store, `limit=Infinity` that gRPC
 * cannot encode) or was accepted against the API's word (a non-https or loopback avatar) is
 * a 400 naming the field. Behind the gateway, a service refuses unstorable text on its own,
 * as INVALID_ARGUMENT rather than INTERNAL (the platform's gRPC server does, for every service).
 */
import { PushServiceDefinition } from '@wren/contracts/notification/v1/push_service.js';
import { type ClientPool, createClientPool, Status } from '@wren/platform';
import { expectGrpcError } from '@wren/testkit';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { Metadata } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let pool: ClientPool;
let user: SignedInUser;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  pool = createClientPool({ defaultDeadlineMs: 5000 });
  user = await registerUser(system.gatewayUrl, 'hostile');
});
afterAll(async () => {
  pool?.close();
  await system?.stop();
});

const api = (path: string, init: Parameters<typeof send>[2] = {}) =>
  send(system.gatewayUrl, path, { token: user.tokens.accessToken, ...init });

describe('through the gateway', () => {
  test('a NUL in DELETE /v1/push/expo/tokens is a 400 naming token', async () => {
    await expectProblem(
      await api('/v1/push/expo/tokens', { method: 'DELETE', json: { token: 'a\u0000b' } }),
      400,
      'validation-failed',
      { fields: ['token'] },
    );
  });

  test.each(['Infinity', '-Infinity'])('limit=%s is a 400 naming limit', async (limit) => {
    for (const path of ['/v1/timelines/home', `/v1/users/${user.username}/followers`, '/v1/notifications']) {
      await expectProblem(await api(`${path}?limit=${limit}`), 400, 'validation-failed', { fields: ['limit'] });
    }
  });

  test.each([
    'http://cdn.example.com/a.png',
    'https://localhost/a.png',
    'https://127.0.0.1/a.png',
    'https://[::1]/a.png',
    'https://[::ffff:0:7f00:1]/a.png',
    'https://10.0.0.8/a.png',
  ])('avatarUrl %s is a 400 naming avatarUrl', async (avatarUrl) => {
    await expectProblem(await api('/v1/me', { method: 'PATCH', json: { avatarUrl } }), 400, 'validation-failed', {
      fields: ['avatarUrl'],
    });
  });

  test('an https avatar on a public host is kept', async () => {
    const avatarUrl = 'https://cdn.example.com/a.png';
    const response = await api('/v1/me', { method: 'PATCH', json: { avatarUrl } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { avatarUrl: string }).avatarUrl).toBe(avatarUrl);
  });
});

describe('straight to the services, past the gateway', () => {
  const asUser = () => ({ metadata: Metadata({ authorization: `Bearer ${user.tokens.accessToken}` }) });

  test('notification-service refuses a NUL in an Expo token as INVALID_ARGUMENT', async () => {
    const push = pool.client(PushServiceDefinition, system.notificationServiceAddr);
    await expectGrpcError(push.unregisterExpoPushToken({ token: 'a\u0000b' }, asUser()), Status.INVALID_ARGUMENT, {
      fields: ['token'],
    });
    await expectGrpcError(
      push.unregisterWebPushSubscription({ endpoint: 'https://push.example.com/\u0000' }, asUser()),
      Status.INVALID_ARGUMENT,
      { fields: ['endpoint'] },
    );
  });
});
