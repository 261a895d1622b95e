import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nextLink, registerUser, type SignedInUser, type Tokens } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let api: (path: string, init?: Parameters<typeof send>[2]) => Promise<Response>;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  api = (path, init) => send(system.gatewayUrl, path, init);
});
afterAll(() => system?.stop());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

test('register → login → refresh → me → follow → the followee lists the follower', async () => {
  const bob = await registerUser(system.gatewayUrl, 'bob');
  const username = `alice_${Date.now().toString(36)}`;
  const email = `${username}@example.com`;

  const registered = await api('/v1/auth/register', {
    method: 'POST',
    headers: { 'user-agent': 'WrenE2E/1.0' },
    json: { username, email, password: 'correct horse battery staple' },
  });
  expect(registered.status).toBe(201);
  const signUp = (await registered.json()) as { account: Record<string, unknown>; tokens: Tokens };
  expect(signUp.account).toEqual({
    id: expect.any(String),
    username,
    email,
    displayName: '',
    bio: '',
    avatarUrl: null,
    createdAt: expect.stringMatching(ISO),
    followerCount: 0,
    followingCount: 0,
  });
  expect(signUp.tokens).toEqual({
    accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    tokenType: 'Bearer',
    expiresIn: 900,
    refreshToken: expect.any(String),
    refreshTokenExpiresAt: expect.stringMatching(ISO),
  });

  const login = await api('/v1/auth/login', {
    method: 'POST',
    json: { login: email.toUpperCase(), password: 'correct horse battery staple' },
  });
  expect(login.status).toBe(200);
  const signedIn = (await login.json()) as { account: { id: string }; tokens: Tokens };
  expect(signedIn.account.id).toBe(signUp.account.id);

  const refresh = await api('/v1/auth/refresh', {
    method: 'POST',
    json: { refreshToken: signedIn.tokens.refreshToken },
  });
  expect(refresh.status).toBe(200);
  const { tokens } = (await refresh.json()) as { tokens: Tokens };
  expect(tokens.refreshToken).not.toBe(signedIn.tokens.refreshToken);

  const me = await api('/v1/me', { token: tokens.accessToken });
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ id: signUp.account.id, username, email });

  const follow = await api(`/v1/users/${bob.username}/follow`, { method: 'PUT', token: tokens.accessToken });
  expect(follow.status).toBe(200);
  expect(await follow.json()).toMatchObject({
    username: bob.username,
    followerCount: 1,
    followedByViewer: true,
    followsViewer: false,
  });

  const followers = await api(`/v1/users/${bob.username}/followers`);
  expect(followers.status).toBe(200);
  expect(followers.headers.get('link')).toBeNull();
  expect(await followers.json()).toEqual({
    items: [
      {
        user: { id: signUp.account.id, username, displayName: '', avatarUrl: null },
        followedAt: expect.stringMatching(ISO),
      },
    ],
    nextCursor: null,
  });

  const following = (await (await api(`/v1/users/${username}/following`)).json()) as {
    items: { user: { username: string } }[];
  };
  expect(following.items.map((item) => item.user.username)).toEqual([bob.username]);

  // The same profile, seen anonymously and by the follower.
  expect(await (await api(`/v1/users/${bob.username}`)).json()).toMatchObject({
    followedByViewer: null,
    followsViewer: null,
  });
  expect(await (await api(`/v1/users/${bob.username}`, { token: tokens.accessToken })).json()).toMatchObject({
    followedByViewer: true,
  });

  // Sessions: the register, the login (rotated by the refresh); the caller's is marked.
  const sessions = (await (await api('/v1/auth/sessions', { token: tokens.accessToken })).json()) as {
    items: { id: string; userAgent: string; ip: string; current: boolean; createdAt: string; lastUsedAt: string }[];
  };
  expect(sessions.items).toHaveLength(2);
  expect(sessions.items.filter((s) => s.current)).toHaveLength(1);
  expect(sessions.items.map((s) => s.userAgent)).toContain('WrenE2E/1.0');
  expect(sessions.items[0]).toMatchObject({ ip: '127.0.0.1', createdAt: expect.stringMatching(ISO) });
});

test('followers page through Link headers, limit=2 across 5 followers', async () => {
  const star = await registerUser(system.gatewayUrl, 'star');
  const fans: SignedInUser[] = [];
  for (let i = 0; i < 5; i++) {
    const fan = await registerUser(system.gatewayUrl, `fan${i}`);
    const follow = await api(`/v1/users/${star.username}/follow`, { method: 'PUT', token: fan.tokens.accessToken });
    expect(follow.status).toBe(200);
    fans.push(fan);
  }

  const pages: { items: { user: { username: string }; followedAt: string }[]; nextCursor: string | null }[] = [];
  let url: string | undefined = `${system.gatewayUrl}/v1/users/${star.username}/followers?limit=2`;
  while (url) {
    expect(url.startsWith(`${system.gatewayUrl}/v1/users/${star.username}/followers?`)).toBe(true);
    const response: Response = await fetch(url);
    expect(response.status).toBe(200);
    const page = (await response.json()) as (typeof pages)[number];
    pages.push(page);
    url = nextLink(response);
    expect(page.nextCursor === null).toBe(url === undefined);
    if (url) expect(new URL(url).searchParams.get('cursor')).toBe(page.nextCursor);
    expect(pages.length).toBeLessThan(5);
  }
  expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
  const seen = pages.flatMap((page) => page.items.map((item) => item.user.username));
  // Newest first, each follower exactly once.
  expect(seen).toEqual(fans.map((fan) => fan.username).reverse());
  const times = pages.flatMap((page) => page.items.map((item) => item.followedAt));
  expect([...times].sort().reverse()).toEqual(times);
});

describe('conflicts and missing things', () => {
  test('a taken username or email is a 409 naming the field', async () => {
    const taken = await registerUser(system.gatewayUrl, 'taken');
    const sameName = await api('/v1/auth/register', {
      method: 'POST',
      json: { username: taken.username.toUpperCase(), email: 'fresh@example.com', password: 'long enough password' },
    });
    expect((await expectProblem(sameName, 409, 'conflict', { fields: ['username'] })).code).toBe('USERNAME_TAKEN');
    const sameEmail = await api('/v1/auth/register', {
      method: 'POST',
      json: { username: `${taken.username.slice(0, 20)}_x`, email: taken.email, password: 'long enough password' },
    });
    expect((await expectProblem(sameEmail, 409, 'conflict', { fields: ['email'] })).code).toBe('EMAIL_TAKEN');
  });

  test('an unknown user is a 404, to read, to follow and to list', async () => {
    const me = await registerUser(system.gatewayUrl, 'seeker');
    await expectProblem(await api('/v1/users/nobody_here_at_all'), 404, 'not-found', {
      instance: '/v1/users/nobody_here_at_all',
    });
    await expectProblem(
      await api('/v1/users/nobody_here_at_all/follow', { method: 'PUT', token: me.tokens.accessToken }),
      404,
      'not-found',
    );
    await expectProblem(await api('/v1/users/nobody_here_at_all/followers'), 404, 'not-found');
  });

  test('following yourself is a 400 on username', async () => {
    const me = await registerUser(system.gatewayUrl, 'narcissus');
    await expectProblem(
      await api(`/v1/users/${me.username}/follow`, { method: 'PUT', token: me.tokens.accessToken }),
      400,
      'validation-failed',
      { fields: ['username'] },
    );
  });
});

test('/healthz and /readyz are 200 with every service up', async () => {
  expect(await (await api('/healthz')).json()).toEqual({ status: 'ok' });
  const ready = await api('/readyz');
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({
    status: 'ready',
    services: { 'user-service': 'SERVING', 'post-service': 'SERVING', 'notification-service': 'SERVING' },
  });
});
