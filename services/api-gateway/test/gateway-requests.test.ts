/**
 * What the gateway refuses on its own — before any service is called — and what every
 * answer carries: request ids, problem+json, security headers. (The documents: openapi.test.ts.)
 */
import { ServerError, Status } from 'nice-grpc-common';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness({ BODY_LIMIT_BYTES: '4096' });
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.user.reset());

const registration = { username: 'ada', email: 'ada@example.com', password: 'long enough password' };

describe('closed schemas: refused at the gateway, with every failing field', () => {
  test.each([
    ['an unknown field', '/v1/auth/register', { ...registration, isAdmin: true }, ['isAdmin']],
    ['a missing field', '/v1/auth/register', { username: 'ada', password: 'x' }, ['email']],
    [
      'over-long strings',
      '/v1/auth/register',
      { username: 'a'.repeat(31), email: `${'e'.repeat(250)}@x.io`, password: 'p'.repeat(257) },
      ['username', 'email', 'password'],
    ],
    [
      'a username with other characters',
      '/v1/auth/register',
      { ...registration, username: 'ada lovelace' },
      ['username'],
    ],
    [
      'a number where a string belongs (no coercion)',
      '/v1/auth/login',
      { login: 'ada', password: 1234567890 },
      ['password'],
    ],
    ['a login over 254 characters', '/v1/auth/login', { login: 'l'.repeat(255), password: 'p' }, ['login']],
    ['an over-long refresh token', '/v1/auth/refresh', { refreshToken: 'r'.repeat(513) }, ['refreshToken']],
    ['a JSON array', '/v1/auth/login', [], ['body']],
  ])('%s', async (_what, path, json, fields) => {
    const response = await h.fetch(path, { method: 'POST', json });
    const problem = await expectProblem(response, 400, 'validation-failed', { instance: path, fields });
    expect(problem.detail).not.toBe('');
    expect(h.user.calls).toEqual([]);
  });

  test('PATCH /v1/me needs at least one field, each within its limit', async () => {
    await expectProblem(await h.fetch('/v1/me', { method: 'PATCH', token, json: {} }), 400, 'validation-failed', {
      fields: ['body'],
    });
    await expectProblem(
      await h.fetch('/v1/me', {
        method: 'PATCH',
        token,
        json: { displayName: 'd'.repeat(51), bio: 'b'.repeat(301), avatarUrl: 'a'.repeat(2049), role: 'admin' },
      }),
      400,
      'validation-failed',
      { fields: ['displayName', 'bio', 'avatarUrl', 'role'] },
    );
    expect(h.user.calls).toEqual([]);
  });

  test.each([
    ['limit=0', ['limit']],
    ['limit=101', ['limit']],
    ['limit=abc', ['limit']],
    ['limit=2.5', ['limit']],
    ['cursor=not%20base64!', ['cursor']],
    [`cursor=${'A'.repeat(513)}`, ['cursor']],
    ['page=2', ['page']],
  ])('query %s', async (query, fields) => {
    await expectProblem(await h.fetch(`/v1/users/grace/followers?${query}`), 400, 'validation-failed', { fields });
    expect(h.user.calls).toEqual([]);
  });

  test.each([
    ['/v1/users/a.b', 'GET'],
    [`/v1/users/${'a'.repeat(31)}`, 'GET'],
    ['/v1/users/%F0%9F%90%A6/follow', 'PUT'],
  ])('path %s', async (path, method) => {
    await expectProblem(await h.fetch(path, { method, token }), 400, 'validation-failed', { fields: ['username'] });
  });

  test('a session id must be a UUID', async () => {
    await expectProblem(await h.fetch('/v1/auth/sessions/123', { method: 'DELETE', token }), 400, 'validation-failed', {
      fields: ['id'],
    });
  });
});

describe('HTTP-level refusals are problems too', () => {
  test('malformed JSON → 400', async () => {
    const response = await h.fetch('/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login": "ada",',
    });
    await expectProblem(response, 400, 'malformed-request', { instance: '/v1/auth/login' });
  });

  test('an empty JSON body is no body: fine where none is needed, a 400 where one is', async () => {
    h.user.on('logout', async () => ({}));
    const json = { 'content-type': 'application/json' };
    const logout = await h.fetch('/v1/auth/logout', { method: 'POST', token, headers: json });
    expect(logout.status).toBe(204);
    const login = await h.fetch('/v1/auth/login', { method: 'POST', headers: json });
    await expectProblem(login, 400, 'validation-failed', { fields: ['body'] });
  });

  test('a body poisoning __proto__ is refused', async () => {
    const response = await h.fetch('/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login":"a","password":"b","__proto__":{"isAdmin":true}}',
    });
    await expectProblem(response, 400, 'malformed-request');
    expect(h.user.calls).toEqual([]);
  });

  test('a body over BODY_LIMIT_BYTES → 413', async () => {
    const response = await h.fetch('/v1/auth/login', {
      method: 'POST',
      json: { login: 'x'.repeat(5000), password: 'p' },
    });
    await expectProblem(response, 413, 'payload-too-large');
  });

  test('a body that is not JSON → 415', async () => {
    const response = await h.fetch('/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'login=ada',
    });
    await expectProblem(response, 415, 'unsupported-media-type');
  });

  test('an unknown route or method → 404', async () => {
    await expectProblem(await h.fetch('/v1/nothing-here?x=1'), 404, 'not-found', { instance: '/v1/nothing-here' });
    await expectProblem(await h.fetch('/v1/me', { method: 'POST', token }), 404, 'not-found');
  });

  test('a missing token is refused before the body is even read', async () => {
    const response = await h.fetch('/v1/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    const problem = await expectProblem(response, 401, 'unauthenticated');
    expect(problem.code).toBe('MISSING_TOKEN');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="wren"');
  });
});

describe('request ids', () => {
  test('a well-formed X-Request-Id is echoed, put in the problem and sent to the service', async () => {
    h.user.on('getProfile', async () => {
      throw new ServerError(Status.INTERNAL, 'boom');
    });
    const response = await h.fetch('/v1/users/grace', { headers: { 'x-request-id': 'client-req_1:2.3' } });
    expect(response.headers.get('x-request-id')).toBe('client-req_1:2.3');
    const problem = await expectProblem(response, 500, 'internal');
    expect(problem.requestId).toBe('client-req_1:2.3');
    expect(h.user.calls[0]?.requestId).toBe('client-req_1:2.3');
  });

  test('a malformed one is replaced by a fresh UUID, also on success', async () => {
    const response = await h.fetch('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(response.status).toBe(200);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const other = await h.fetch('/healthz');
    expect(other.headers.get('x-request-id')).not.toBe(id);
  });
});

test('security headers are on every answer', async () => {
  for (const response of [await h.fetch('/healthz'), await h.fetch('/v1/nope')]) {
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  }
});
