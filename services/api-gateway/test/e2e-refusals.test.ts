/**
 * End to end: what the system refuses, and how — every refusal a problem+json document the
 * client can act on, whether the gateway or a service said no.
 */
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { signTestToken, swapSubject, tamper, unsignedToken } from './support/tokens.js';

let system: TestSystem;
let api: (path: string, init?: Parameters<typeof send>[2]) => Promise<Response>;
let user: SignedInUser;

beforeAll(async () => {
  system = await startSystem({
    gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000', CORS_ORIGINS: 'https://app.wren.example' },
  });
  api = (path, init) => send(system.gatewayUrl, path, init);
  user = await registerUser(system.gatewayUrl, 'victim');
});
afterAll(() => system?.stop());

const register = (json: unknown) => api('/v1/auth/register', { method: 'POST', json });
const valid = { username: 'fresh_name', email: 'fresh@example.com', password: 'long enough password' };

describe('400: the request is not valid, with the fields that fail', () => {
  test('malformed JSON', async () => {
    const response = await api('/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": "x", ',
    });
    await expectProblem(response, 400, 'malformed-request', { instance: '/v1/auth/register' });
  });

  test('an unknown field is refused, not dropped', async () => {
    await expectProblem(await register({ ...valid, role: 'admin' }), 400, 'validation-failed', { fields: ['role'] });
  });

  test('an over-long string', async () => {
    await expectProblem(await register({ ...valid, password: 'p'.repeat(257) }), 400, 'validation-failed', {
      fields: ['password'],
    });
  });

  test('an invalid email (the service’s rule)', async () => {
    await expectProblem(await register({ ...valid, email: 'not-an-email' }), 400, 'validation-failed', {
      fields: ['email'],
    });
  });

  test('an invalid username: characters (gateway) and length (service)', async () => {
    await expectProblem(await register({ ...valid, username: 'no spaces!' }), 400, 'validation-failed', {
      fields: ['username'],
    });
    await expectProblem(await register({ ...valid, username: 'ab' }), 400, 'validation-failed', {
      fields: ['username'],
    });
  });

  test('a short password', async () => {
    const problem = await expectProblem(await register({ ...valid, password: 'short' }), 400, 'validation-failed', {
      fields: ['password'],
    });
    expect(problem.errors?.[0]?.message).toMatch(/at least/);
  });

  test('all of a form’s problems at once', async () => {
    await expectProblem(
      await register({ username: 'ab', email: 'nope', password: 'short' }),
      400,
      'validation-failed',
      { fields: ['username', 'email', 'password'] },
    );
  });

  test('limit=101', async () => {
    await expectProblem(await api(`/v1/users/${user.username}/followers?limit=101`), 400, 'validation-failed', {
      fields: ['limit'],
    });
  });

  test('a garbage cursor: not base64url (gateway), or not a cursor (service, page_token → cursor)', async () => {
    await expectProblem(await api(`/v1/users/${user.username}/followers?cursor=%7B%7D`), 400, 'validation-failed', {
      fields: ['cursor'],
    });
    await expectProblem(await api(`/v1/users/${user.username}/following?cursor=Zm9vYmFy`), 400, 'validation-failed', {
      fields: ['cursor'],
    });
  });
});

describe('401: who are you?', () => {
  const me = (token?: string) => api('/v1/me', token === undefined ? {} : { token });

  async function expectInvalidToken(response: Response, code = 'INVALID_TOKEN') {
    const problem = await expectProblem(response, 401, 'unauthenticated', { instance: '/v1/me' });
    expect(problem.code).toBe(code);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="wren", error="invalid_token"');
  }

  test('a wrong password', async () => {
    const response = await api('/v1/auth/login', {
      method: 'POST',
      json: { login: user.username, password: 'not the password' },
    });
    expect((await expectProblem(response, 401, 'unauthenticated')).code).toBe('INVALID_CREDENTIALS');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="wren"');
  });

  test('no token', async () => {
    const response = await me();
    expect((await expectProblem(response, 401, 'unauthenticated')).code).toBe('MISSING_TOKEN');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="wren"');
  });

  test('an expired token', async () => {
    await expectInvalidToken(await me(await signTestToken({ userId: user.id, expiresIn: -60 })), 'TOKEN_EXPIRED');
  });

  test('a tampered token: a flipped signature, or claims changed under the signature', async () => {
    await expectInvalidToken(await me(tamper(user.tokens.accessToken)));
    await expectInvalidToken(await me(swapSubject(user.tokens.accessToken, '0190f2a0-0000-7000-8000-000000000099')));
  });

  test('an `alg: none` token', async () => {
    const [, payload = ''] = user.tokens.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    await expectInvalidToken(await me(unsignedToken(claims)));
  });

  test('a token for another audience, issuer or type, or from an unknown key', async () => {
    await expectInvalidToken(await me(await signTestToken({ userId: user.id, audience: 'another-api' })));
    await expectInvalidToken(await me(await signTestToken({ userId: user.id, issuer: 'not-wren' })));
    await expectInvalidToken(await me(await signTestToken({ userId: user.id, typ: 'JWT' })));
    await expectInvalidToken(await me(await signTestToken({ userId: user.id, kid: 'unknown-kid' })));
  });

  test('an Authorization header that is not a bearer token', async () => {
    await expectInvalidToken(await api('/v1/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }));
  });

  test('a bad token is refused on a public route too, not silently ignored', async () => {
    const response = await api(`/v1/users/${user.username}`, { token: tamper(user.tokens.accessToken) });
    await expectProblem(response, 401, 'unauthenticated');
  });
});

describe('the HTTP edges', () => {
  test('413 for a body over BODY_LIMIT_BYTES', async () => {
    const response = await api('/v1/auth/login', {
      method: 'POST',
      json: { login: 'x', password: 'p'.repeat(70 * 1024) },
    });
    await expectProblem(response, 413, 'payload-too-large');
  });

  test('415 for a body that is not JSON', async () => {
    const response = await api('/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=x&password=y',
    });
    await expectProblem(response, 415, 'unsupported-media-type');
  });

  test('404 for an unknown route', async () => {
    await expectProblem(await api('/v1/bookmarks/none'), 404, 'not-found', { instance: '/v1/bookmarks/none' });
  });

  test('X-Request-Id: a given one is echoed and in the problem; otherwise one is made', async () => {
    const given = await api('/v1/users/nobody_at_all_here', { headers: { 'x-request-id': 'app-7f3a-0001' } });
    expect(given.headers.get('x-request-id')).toBe('app-7f3a-0001');
    expect((await expectProblem(given, 404, 'not-found')).requestId).toBe('app-7f3a-0001');

    const made = await api('/v1/users/nobody_at_all_here', { headers: { 'x-request-id': 'no spaces allowed' } });
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await expectProblem(made, 404, 'not-found')).requestId).toBe(id);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    api('/v1/auth/login', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  test('a preflight from the configured origin is allowed', async () => {
    const response = await preflight('https://app.wren.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.wren.example');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  test('a preflight from another origin is not', async () => {
    const response = await preflight('https://elsewhere.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
