/**
 * The gateway against a scripted user-service over real gRPC: what each service answer
 * becomes over HTTP, and what each HTTP request becomes over gRPC.
 */
import { alreadyExists, invalidArgument, unauthenticated } from '@wren/platform';
import { ServerError, Status } from 'nice-grpc-common';
import { RetryInfo, RichServerError } from 'nice-grpc-error-details';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { account, session, tokenPair } from './support/fixtures.js';
import { type Harness, startHarness } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;
const registration = { username: 'ada', email: 'ada@example.com', password: 'long enough password' };

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.user.reset());

describe('service errors → problems', () => {
  const table: [Status, number, string][] = [
    [Status.INVALID_ARGUMENT, 400, 'validation-failed'],
    [Status.FAILED_PRECONDITION, 400, 'failed-precondition'],
    [Status.UNAUTHENTICATED, 401, 'unauthenticated'],
    [Status.PERMISSION_DENIED, 403, 'forbidden'],
    [Status.NOT_FOUND, 404, 'not-found'],
    [Status.ALREADY_EXISTS, 409, 'conflict'],
    [Status.ABORTED, 409, 'conflict'],
    [Status.RESOURCE_EXHAUSTED, 429, 'rate-limited'],
    [Status.UNAVAILABLE, 503, 'service-unavailable'],
    [Status.DEADLINE_EXCEEDED, 504, 'gateway-timeout'],
    [Status.INTERNAL, 500, 'internal'],
    [Status.UNIMPLEMENTED, 500, 'internal'],
    [Status.DATA_LOSS, 500, 'internal'],
  ];
  // Register is not idempotent, so the client pool does not retry an UNAVAILABLE.
  test.each(table.map(([code, status, kind]) => [Status[code], status, code, kind] as const))(
    'gRPC %s → HTTP %i',
    async (_name, status, code, kind) => {
      h.user.on('register', async () => {
        throw new ServerError(code, 'said the service');
      });
      const response = await h.fetch('/v1/auth/register', { method: 'POST', json: registration });
      const problem = await expectProblem(response, status, kind, { instance: '/v1/auth/register' });
      if (status >= 500) expect(problem.detail).not.toContain('said the service');
      else expect(problem.detail).toBe('said the service');
      if (status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer realm="wren"');
    },
  );

  test('a 5xx body reveals nothing of the failure', async () => {
    h.user.on('getMe', async () => {
      throw new ServerError(Status.INTERNAL, 'relation "users" does not exist at pg://db:5432');
    });
    const problem = await expectProblem(await h.fetch('/v1/me', { token }), 500, 'internal');
    expect(JSON.stringify(problem)).not.toMatch(/relation|pg:|5432/);
    expect(Object.keys(problem).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
  });

  test('a service that breaks the contract (no account) is a 500, not a guess', async () => {
    h.user.on('getMe', async () => ({ account: undefined }));
    await expectProblem(await h.fetch('/v1/me', { token }), 500, 'internal');
  });

  test('a 401 from a service for a forwarded token says invalid_token', async () => {
    h.user.on('getMe', async () => {
      throw unauthenticated('the session has ended', 'SESSION_ENDED');
    });
    const response = await h.fetch('/v1/me', { token });
    const problem = await expectProblem(response, 401, 'unauthenticated');
    expect(problem.code).toBe('SESSION_ENDED');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="wren", error="invalid_token"');
  });

  test('RetryInfo becomes Retry-After', async () => {
    h.user.on('getMe', async () => {
      throw new RichServerError(Status.RESOURCE_EXHAUSTED, 'slow down', [
        RetryInfo.fromPartial({ retryDelay: { seconds: 7, nanos: 0 } }),
      ]);
    });
    const response = await h.fetch('/v1/me', { token });
    await expectProblem(response, 429, 'rate-limited');
    expect(response.headers.get('retry-after')).toBe('7');
  });
});

describe('field violations are reported under the names the client sent', () => {
  test('current_password → currentPassword', async () => {
    h.user.on('changePassword', async () => {
      throw invalidArgument([
        { field: 'current_password', description: 'is not the current password' },
        { field: 'new_password', description: 'must be at least 10 characters' },
      ]);
    });
    const problem = await expectProblem(
      await h.fetch('/v1/auth/password', { method: 'POST', token, json: { currentPassword: 'a', newPassword: 'b' } }),
      400,
      'validation-failed',
      { fields: ['currentPassword', 'newPassword'] },
    );
    expect(problem.errors).toContainEqual({ field: 'currentPassword', message: 'is not the current password' });
  });

  test('page_token and page_size → cursor and limit', async () => {
    h.user.on('listFollowers', async () => {
      throw invalidArgument([
        { field: 'page_token', description: 'is not a valid cursor' },
        { field: 'page_size', description: 'must be between 1 and 100' },
      ]);
    });
    await expectProblem(await h.fetch('/v1/users/grace/followers?cursor=Zm9v&limit=5'), 400, 'validation-failed', {
      fields: ['cursor', 'limit'],
    });
  });

  test('session_id → id (the path parameter)', async () => {
    h.user.on('revokeSession', async () => {
      throw invalidArgument({ field: 'session_id', description: 'must be a session id (UUID)' });
    });
    await expectProblem(
      await h.fetch(`/v1/auth/sessions/${session().id}`, { method: 'DELETE', token }),
      400,
      'validation-failed',
      { fields: ['id'] },
    );
  });

  test('display_name and avatar_url → displayName and avatarUrl', async () => {
    h.user.on('updateMe', async () => {
      throw invalidArgument([
        { field: 'display_name', description: 'must not contain control characters' },
        { field: 'avatar_url', description: 'must be an absolute http or https URL' },
      ]);
    });
    await expectProblem(
      await h.fetch('/v1/me', { method: 'PATCH', token, json: { displayName: 'x', avatarUrl: 'ftp://x' } }),
      400,
      'validation-failed',
      { fields: ['displayName', 'avatarUrl'] },
    );
  });

  test('a conflict names its field and reason', async () => {
    h.user.on('register', async () => {
      throw alreadyExists('username is already taken', 'USERNAME_TAKEN', 'username');
    });
    const problem = await expectProblem(
      await h.fetch('/v1/auth/register', { method: 'POST', json: { username: 'ada', email: 'a@b.co', password: 'p' } }),
      409,
      'conflict',
      { fields: ['username'] },
    );
    expect(problem.code).toBe('USERNAME_TAKEN');
  });
});

describe('what reaches the service', () => {
  test('the access token and the request id travel in metadata', async () => {
    h.user.on('getMe', async () => ({ account: account() }));
    const response = await h.fetch('/v1/me', { token, headers: { 'x-request-id': 'trace-42' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    expect(h.user.calls).toEqual([
      { method: 'getMe', request: {}, authorization: `Bearer ${token}`, requestId: 'trace-42' },
    ]);
  });

  test('a route that takes no token forwards none, and ignores a bad one', async () => {
    h.user.on('login', async () => ({ account: account(), tokens: tokenPair() }));
    const response = await h.fetch('/v1/auth/login', {
      method: 'POST',
      token: 'not-a-token',
      json: { login: 'ada', password: 'secret' },
    });
    expect(response.status).toBe(200);
    expect(h.user.calls[0]?.authorization).toBeUndefined();
  });

  test('register passes the client info the session list shows', async () => {
    h.user.on('register', async () => ({ account: account(), tokens: tokenPair() }));
    await h.fetch('/v1/auth/register', {
      method: 'POST',
      headers: { 'user-agent': 'WrenTest/1.0', 'x-forwarded-for': '198.51.100.7' },
      json: { username: 'ada', email: 'ada@example.com', password: 'long enough password' },
    });
    // TRUST_PROXY is off: X-Forwarded-For is the client's claim, not its address.
    expect(h.user.calls[0]?.request).toEqual({
      username: 'ada',
      email: 'ada@example.com',
      password: 'long enough password',
      client: { userAgent: 'WrenTest/1.0', ip: '127.0.0.1' },
    });
  });

  test('PATCH /v1/me sends only the fields present; null clears the avatar', async () => {
    h.user.on('updateMe', async () => ({ account: account({ displayName: 'New' }) }));
    const response = await h.fetch('/v1/me', { method: 'PATCH', token, json: { displayName: 'New', avatarUrl: null } });
    expect(response.status).toBe(200);
    expect(h.user.calls[0]?.request).toEqual({ displayName: 'New', bio: undefined, avatarUrl: '' });
  });

  test('cursor and limit become page_token and page_size, limit 20 by default', async () => {
    h.user.on('listFollowing', async () => ({ entries: [], nextPageToken: '' }));
    await h.fetch('/v1/users/grace/following');
    await h.fetch('/v1/users/grace/following?cursor=abc_-&limit=7');
    expect(h.user.calls.map((call) => call.request)).toEqual([
      { username: 'grace', pageSize: 20, pageToken: '' },
      { username: 'grace', pageSize: 7, pageToken: 'abc_-' },
    ]);
  });
});
