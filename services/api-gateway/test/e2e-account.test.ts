/**
 * End to end: sessions, tokens and your own account, over HTTP against the whole system.
 */
import { randomUUID } from 'node:crypto';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type Tokens } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let api: (path: string, init?: Parameters<typeof send>[2]) => Promise<Response>;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  api = (path, init) => send(system.gatewayUrl, path, init);
});
afterAll(() => system?.stop());

describe('sessions and tokens', () => {
  test('a reused refresh token is refused, and ends the session for good', async () => {
    const user = await registerUser(system.gatewayUrl, 'reuse');
    const first = await api('/v1/auth/refresh', { method: 'POST', json: { refreshToken: user.tokens.refreshToken } });
    expect(first.status).toBe(200);
    const { tokens: latest } = (await first.json()) as { tokens: Tokens };

    const replay = await api('/v1/auth/refresh', { method: 'POST', json: { refreshToken: user.tokens.refreshToken } });
    expect((await expectProblem(replay, 401, 'unauthenticated')).code).toBe('REFRESH_TOKEN_REUSED');
    expect(replay.headers.get('www-authenticate')).toBe('Bearer realm="wren"');

    const latestRefused = await api('/v1/auth/refresh', {
      method: 'POST',
      json: { refreshToken: latest.refreshToken },
    });
    await expectProblem(latestRefused, 401, 'unauthenticated');
    // The access token still verifies as a JWT; the service knows its session is gone.
    const me = await api('/v1/me', { token: latest.accessToken });
    await expectProblem(me, 401, 'unauthenticated');
    expect(me.headers.get('www-authenticate')).toBe('Bearer realm="wren", error="invalid_token"');
  });

  test('logout ends the session; revoking another session ends that one', async () => {
    const user = await registerUser(system.gatewayUrl, 'leaver');
    const second = (await (
      await api('/v1/auth/login', { method: 'POST', json: { login: user.username, password: user.password } })
    ).json()) as { tokens: Tokens };

    const sessions = (await (await api('/v1/auth/sessions', { token: user.tokens.accessToken })).json()) as {
      items: { id: string; current: boolean }[];
    };
    const other = sessions.items.find((s) => !s.current);
    expect(other).toBeDefined();
    const revoke = await api(`/v1/auth/sessions/${other?.id}`, { method: 'DELETE', token: user.tokens.accessToken });
    expect(revoke.status).toBe(204);
    await expectProblem(await api('/v1/me', { token: second.tokens.accessToken }), 401, 'unauthenticated');
    // Ending it again changes nothing; a session that is not yours is not found.
    expect(
      (await api(`/v1/auth/sessions/${other?.id}`, { method: 'DELETE', token: user.tokens.accessToken })).status,
    ).toBe(204);
    await expectProblem(
      await api(`/v1/auth/sessions/${randomUUID()}`, { method: 'DELETE', token: user.tokens.accessToken }),
      404,
      'not-found',
    );

    const logout = await api('/v1/auth/logout', { method: 'POST', token: user.tokens.accessToken });
    expect(logout.status).toBe(204);
    await expectProblem(await api('/v1/me', { token: user.tokens.accessToken }), 401, 'unauthenticated');
  });

  test('a password change needs the current password, reported as currentPassword', async () => {
    const user = await registerUser(system.gatewayUrl, 'changer');
    const token = user.tokens.accessToken;
    await expectProblem(
      await api('/v1/auth/password', {
        method: 'POST',
        token,
        json: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
      }),
      400,
      'validation-failed',
      { fields: ['currentPassword'] },
    );
    const changed = await api('/v1/auth/password', {
      method: 'POST',
      token,
      json: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
    });
    expect(changed.status).toBe(204);
    const login = await api('/v1/auth/login', {
      method: 'POST',
      json: { login: user.username, password: 'a brand new passphrase' },
    });
    expect(login.status).toBe(200);
  });
});

describe('your account', () => {
  test('PATCH /v1/me changes only what is sent; service rules come back under JSON names', async () => {
    const user = await registerUser(system.gatewayUrl, 'editor');
    const token = user.tokens.accessToken;
    const patched = await api('/v1/me', {
      method: 'PATCH',
      token,
      json: { displayName: 'Ed Itor', avatarUrl: 'https://img.example/ed.png' },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      displayName: 'Ed Itor',
      bio: '',
      avatarUrl: 'https://img.example/ed.png',
    });

    const cleared = await api('/v1/me', { method: 'PATCH', token, json: { avatarUrl: null, bio: 'hello' } });
    expect(await cleared.json()).toMatchObject({ displayName: 'Ed Itor', bio: 'hello', avatarUrl: null });

    await expectProblem(
      await api('/v1/me', {
        method: 'PATCH',
        token,
        json: { displayName: 'bell\u0007', avatarUrl: 'javascript:alert(1)' },
      }),
      400,
      'validation-failed',
      { fields: ['displayName', 'avatarUrl'] },
    );
  });

  test('DELETE /v1/me needs the password, then the account is gone', async () => {
    const user = await registerUser(system.gatewayUrl, 'goner');
    const token = user.tokens.accessToken;
    await expectProblem(
      await api('/v1/me', { method: 'DELETE', token, json: { password: 'wrong password' } }),
      400,
      'validation-failed',
      { fields: ['password'] },
    );
    const deleted = await api('/v1/me', { method: 'DELETE', token, json: { password: user.password } });
    expect(deleted.status).toBe(204);
    await expectProblem(await api(`/v1/users/${user.username}`), 404, 'not-found');
  });

  test('unfollow is idempotent and answers the new counts', async () => {
    const fan = await registerUser(system.gatewayUrl, 'fickle');
    const idol = await registerUser(system.gatewayUrl, 'idol');
    const token = fan.tokens.accessToken;
    await api(`/v1/users/${idol.username}/follow`, { method: 'PUT', token });
    for (let i = 0; i < 2; i++) {
      const response = await api(`/v1/users/${idol.username}/follow`, { method: 'DELETE', token });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ followerCount: 0, followedByViewer: false });
    }
  });
});
