import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { account, profile, session, tokenPair } from './support/fixtures.js';
import { type Harness, startHarness } from './support/harness.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.user.reset());

describe('what the client gets back', () => {
  test('register: 201 with the account and the token pair, in API shape', async () => {
    h.user.on('register', async () => ({ account: account(), tokens: tokenPair() }));
    const response = await h.fetch('/v1/auth/register', {
      method: 'POST',
      json: { username: 'ada', email: 'ada@example.com', password: 'long enough password' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      account: {
        id: account().id,
        username: 'ada',
        email: 'ada@example.com',
        displayName: 'Ada',
        bio: '',
        avatarUrl: null,
        createdAt: '2026-01-02T03:04:05.678Z',
        followerCount: 2,
        followingCount: 1,
      },
      tokens: {
        accessToken: 'access.token.value',
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: 'refresh-token-value',
        refreshTokenExpiresAt: '2026-02-01T00:00:00.000Z',
      },
    });
  });

  test('a profile has viewer flags only when a token came with the request', async () => {
    h.user.on('getProfile', async () => ({ profile: profile() }));
    const anonymous = (await (await h.fetch('/v1/users/grace')).json()) as Record<string, unknown>;
    const signedIn = (await (await h.fetch('/v1/users/grace', { token })).json()) as Record<string, unknown>;
    expect(anonymous).toMatchObject({ followedByViewer: null, followsViewer: null, avatarUrl: profile().avatarUrl });
    expect(signedIn).toMatchObject({ followedByViewer: true, followsViewer: false });
    expect(h.user.calls.map((call) => call.authorization)).toEqual([undefined, `Bearer ${token}`]);
  });

  test('sessions list, and 204s without a body', async () => {
    h.user.on('listSessions', async () => ({ sessions: [session(), session({ id: 'other', current: false })] }));
    h.user.on('logout', async () => ({}));
    const list = (await (await h.fetch('/v1/auth/sessions', { token })).json()) as { items: unknown[] };
    expect(list.items).toEqual([
      {
        id: session().id,
        userAgent: 'test-agent/1.0',
        ip: '127.0.0.1',
        createdAt: '2026-01-02T03:04:05.678Z',
        lastUsedAt: '2026-01-03T00:00:00.000Z',
        current: true,
      },
      expect.objectContaining({ id: 'other', current: false }),
    ]);
    const logout = await h.fetch('/v1/auth/logout', { method: 'POST', token });
    expect(logout.status).toBe(204);
    expect(await logout.text()).toBe('');
  });

  test('a page with a next page has nextCursor and an absolute Link; the last has neither', async () => {
    const entry = {
      user: { id: 'u1', username: 'lin', displayName: '', avatarUrl: '' },
      followedAt: new Date('2026-03-01T00:00:00.000Z'),
    };
    h.user.on('listFollowers', async (request) => ({
      entries: [entry],
      nextPageToken: request.pageToken === '' ? 'NEXT_1' : '',
    }));
    const first = await h.fetch('/v1/users/grace/followers?limit=1');
    expect(first.headers.get('link')).toBe(`<${h.url}/v1/users/grace/followers?cursor=NEXT_1&limit=1>; rel="next"`);
    expect(await first.json()).toEqual({
      items: [
        {
          user: { id: 'u1', username: 'lin', displayName: '', avatarUrl: null },
          followedAt: '2026-03-01T00:00:00.000Z',
        },
      ],
      nextCursor: 'NEXT_1',
    });
    const last = await h.fetch('/v1/users/grace/followers?cursor=NEXT_1&limit=1');
    expect(last.headers.get('link')).toBeNull();
    expect(((await last.json()) as { nextCursor: unknown }).nextCursor).toBeNull();
  });
});

describe('behind a proxy', () => {
  let proxied: Harness;
  beforeAll(async () => {
    proxied = await startHarness({ TRUST_PROXY: 'true', PUBLIC_URL: 'https://api.wren.example' });
  });
  afterAll(() => proxied?.stop());

  test('the client address comes from X-Forwarded-For and links from PUBLIC_URL', async () => {
    proxied.user.on('login', async () => ({ account: account(), tokens: tokenPair() }));
    proxied.user.on('listFollowers', async () => ({ entries: [], nextPageToken: 'N' }));
    await proxied.fetch('/v1/auth/login', {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.7' },
      json: { login: 'ada', password: 'secret' },
    });
    expect(proxied.user.calls[0]?.request).toMatchObject({ client: { ip: '198.51.100.7' } });
    const page = await proxied.fetch('/v1/users/grace/followers');
    expect(page.headers.get('link')).toBe(
      '<https://api.wren.example/v1/users/grace/followers?cursor=N&limit=20>; rel="next"',
    );
  });
});
