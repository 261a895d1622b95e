/**
 * End to end: a session that ends — by logout, by DELETE /v1/auth/sessions/:id, by a
 * password change, by a reused refresh token — has its access token refused everywhere
 * within a second, not only by user-service: by the gateway on post and notification
 * routes, and by post-service and notification-service when called directly. The user's
 * other sessions keep working.
 */
import { randomUUID } from 'node:crypto';
import { NotificationServiceDefinition } from '@wren/contracts/notification/v1/notification_service.js';
import { PostServiceDefinition } from '@wren/contracts/post/v1/post_service.js';
import { type ClientPool, createClientPool, Status } from '@wren/platform';
import { expectGrpcError } from '@wren/testkit';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { ClientError, Metadata } from 'nice-grpc';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type SignedInUser, type Tokens } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let pool: ClientPool;
let api: (path: string, init?: Parameters<typeof send>[2]) => Promise<Response>;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  pool = createClientPool({ defaultDeadlineMs: 5000 });
  api = (path, init) => send(system.gatewayUrl, path, init);
});
afterAll(async () => {
  pool?.close();
  await system?.stop();
});

const WITHIN_MS = 1000;

/** The three routes of the issue, none of which asks user-service about the session. */
const outsideUserService = (token: string) => [
  api('/v1/posts', {
    method: 'POST',
    token,
    headers: { 'idempotency-key': randomUUID() },
    json: { text: 'still here?' },
  }),
  api('/v1/timelines/home', { token }),
  api('/v1/notifications', { token }),
];

async function login(user: SignedInUser, password = user.password): Promise<Tokens> {
  const response = await api('/v1/auth/login', { method: 'POST', json: { login: user.username, password } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tokens: Tokens }).tokens;
}

/** Before the session ends, its token works on every route (so a refusal later means something). */
async function expectAccepted(token: string): Promise<void> {
  const answers = await Promise.all(outsideUserService(token));
  expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200]);
}

/** The same reads straight at post-service and notification-service, past the gateway. */
const atTheServices = (token: string): (() => Promise<unknown>)[] => {
  const metadata = Metadata({ authorization: `Bearer ${token}` });
  return [
    () => pool.client(PostServiceDefinition, system.postServiceAddr).getHomeTimeline({}, { metadata }),
    () =>
      pool.client(NotificationServiceDefinition, system.notificationServiceAddr).listNotifications({}, { metadata }),
  ];
};

const refusedCall = (call: () => Promise<unknown>): Promise<boolean> =>
  call().then(
    () => false,
    (error: unknown) => error instanceof ClientError && error.code === Status.UNAUTHENTICATED,
  );

/**
 * Polls until the gateway's routes and each service on its own port refuse the token as a
 * revoked session (each process learns it by itself); returns how long that took from
 * `since` — taken when the revoking request had been answered, i.e. committed.
 */
async function msUntilRefusedEverywhere(token: string, since: number): Promise<number> {
  for (;;) {
    const answers = await Promise.all(outsideUserService(token));
    const services = await Promise.all(atTheServices(token).map(refusedCall));
    if (answers.every((answer) => answer.status === 401) && services.every(Boolean)) {
      const elapsed = performance.now() - since;
      for (const answer of answers) {
        expect((await expectProblem(answer, 401, 'unauthenticated')).code).toBe('SESSION_REVOKED');
      }
      for (const call of atTheServices(token)) {
        await expectGrpcError(call(), Status.UNAUTHENTICATED, { reason: 'SESSION_REVOKED' });
      }
      return elapsed;
    }
    if (performance.now() - since > 5 * WITHIN_MS) throw new Error('the revoked token is still accepted');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a revoked session is refused everywhere within a second', () => {
  test('logout', async () => {
    const user = await registerUser(system.gatewayUrl, 'rv_logout');
    const other = await login(user);
    await expectAccepted(user.tokens.accessToken);

    expect((await api('/v1/auth/logout', { method: 'POST', token: user.tokens.accessToken })).status).toBe(204);
    const start = performance.now();
    expect(await msUntilRefusedEverywhere(user.tokens.accessToken, start)).toBeLessThan(WITHIN_MS);
    await expectAccepted(other.accessToken);
  });

  test('DELETE /v1/auth/sessions/:id', async () => {
    const user = await registerUser(system.gatewayUrl, 'rv_delete');
    const victim = await login(user);
    await expectAccepted(victim.accessToken);
    const sessions = (await (await api('/v1/auth/sessions', { token: user.tokens.accessToken })).json()) as {
      items: { id: string; current: boolean }[];
    };
    const target = sessions.items.find((session) => !session.current);

    const revoked = await api(`/v1/auth/sessions/${target?.id}`, { method: 'DELETE', token: user.tokens.accessToken });
    expect(revoked.status).toBe(204);
    const start = performance.now();
    expect(await msUntilRefusedEverywhere(victim.accessToken, start)).toBeLessThan(WITHIN_MS);
    await expectAccepted(user.tokens.accessToken);
  });

  test('a password change ends every other session', async () => {
    const user = await registerUser(system.gatewayUrl, 'rv_password');
    const elsewhere = await login(user);
    await expectAccepted(elsewhere.accessToken);

    const changed = await api('/v1/auth/password', {
      method: 'POST',
      token: user.tokens.accessToken,
      json: { currentPassword: user.password, newPassword: 'an entirely new passphrase' },
    });
    expect(changed.status).toBe(204);
    const start = performance.now();
    expect(await msUntilRefusedEverywhere(elsewhere.accessToken, start)).toBeLessThan(WITHIN_MS);
    // The session that changed the password stays.
    await expectAccepted(user.tokens.accessToken);
  });

  test('a reused refresh token ends its session', async () => {
    const user = await registerUser(system.gatewayUrl, 'rv_reuse');
    const other = await login(user);
    const rotated = await api('/v1/auth/refresh', { method: 'POST', json: { refreshToken: user.tokens.refreshToken } });
    expect(rotated.status).toBe(200);
    const { tokens: latest } = (await rotated.json()) as { tokens: Tokens };
    await expectAccepted(latest.accessToken);

    const replay = await api('/v1/auth/refresh', { method: 'POST', json: { refreshToken: user.tokens.refreshToken } });
    expect((await expectProblem(replay, 401, 'unauthenticated')).code).toBe('REFRESH_TOKEN_REUSED');
    const start = performance.now();
    expect(await msUntilRefusedEverywhere(latest.accessToken, start)).toBeLessThan(WITHIN_MS);
    // Every token of the session: the one before the rotation too.
    expect(await msUntilRefusedEverywhere(user.tokens.accessToken, start)).toBeLessThan(WITHIN_MS);
    await expectAccepted(other.accessToken);
  });
});
