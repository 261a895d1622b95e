/** /v1/push against a scripted PushService: requests, answers, validation and error mapping. */
import { Status } from 'nice-grpc';
import { BadRequest, ErrorInfo, RichServerError } from 'nice-grpc-error-details';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

const SUBSCRIPTIONS = '/v1/push/web/subscriptions';
const TOKENS = '/v1/push/expo/tokens';
const SUBSCRIPTION_ID = '0190f2a0-0000-7000-8000-0000000000f1';
const P256DH = `B${'A'.repeat(86)}`;
const AUTH = 'c2VjcmV0LWF1dGgtMTIzNA';
const ENDPOINT = 'https://push.example/send/abc';
const EXPO = 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]';
const subscription = (overrides: Record<string, unknown> = {}) => ({
  endpoint: ENDPOINT,
  expirationTime: null,
  keys: { p256dh: P256DH, auth: AUTH },
  ...overrides,
});

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.notification.reset());

test('GET /v1/push/web/vapid-key needs no token', async () => {
  h.notification.onPush('getVapidPublicKey', async () => ({ publicKey: P256DH }));
  const response = await h.fetch('/v1/push/web/vapid-key');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ publicKey: P256DH });
  expect(h.notification.calls[0]?.authorization).toBeUndefined();
});

describe('Web Push subscriptions', () => {
  test('register: the browser’s shape becomes the service’s; 201 with the id', async () => {
    h.notification.onPush('registerWebPushSubscription', async () => ({ subscriptionId: SUBSCRIPTION_ID }));
    const response = await h.fetch(SUBSCRIPTIONS, { method: 'POST', token, json: subscription() });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: SUBSCRIPTION_ID });
    expect(h.notification.calls).toMatchObject([
      {
        method: 'registerWebPushSubscription',
        request: { subscription: { endpoint: ENDPOINT, p256dh: P256DH, auth: AUTH } },
        authorization: `Bearer ${token}`,
      },
    ]);
    // expirationTime may be left out, or be a number.
    for (const json of [subscription({ expirationTime: undefined }), subscription({ expirationTime: 1.5e12 })]) {
      expect((await h.fetch(SUBSCRIPTIONS, { method: 'POST', token, json })).status).toBe(201);
    }
  });

  test('unregister by endpoint: 204', async () => {
    h.notification.onPush('unregisterWebPushSubscription', async () => ({}));
    const response = await h.fetch(SUBSCRIPTIONS, { method: 'DELETE', token, json: { endpoint: ENDPOINT } });
    expect(response.status).toBe(204);
    expect(h.notification.calls.map((c) => c.request)).toEqual([{ endpoint: ENDPOINT }]);
  });

  test.each([
    ['no endpoint', subscription({ endpoint: undefined }), ['endpoint']],
    ['an endpoint that is not a URL', subscription({ endpoint: 'push me' }), ['endpoint']],
    [
      'an endpoint over 2048 characters',
      subscription({ endpoint: `https://p.example/${'a'.repeat(2040)}` }),
      ['endpoint'],
    ],
    ['no keys', subscription({ keys: undefined }), ['keys']],
    [
      'keys that are not base64url',
      subscription({ keys: { p256dh: 'a+b/c', auth: 'x y' } }),
      ['keys.p256dh', 'keys.auth'],
    ],
    ['an unknown key', subscription({ keys: { p256dh: P256DH, auth: AUTH, extra: 'x' } }), ['keys.extra']],
    ['an unknown field', subscription({ userId: 'me' }), ['userId']],
    ['expirationTime as text', subscription({ expirationTime: 'soon' }), ['expirationTime']],
  ])('refuses %s before calling the service', async (_, json, fields) => {
    const response = await h.fetch(SUBSCRIPTIONS, { method: 'POST', token, json });
    await expectProblem(response, 400, 'validation-failed', { fields });
    expect(h.notification.calls).toEqual([]);
  });

  test('the service’s field errors are named as the client sent them', async () => {
    h.notification.onPush('registerWebPushSubscription', async () => {
      throw new RichServerError(Status.INVALID_ARGUMENT, 'bad subscription', [
        BadRequest.fromPartial({
          fieldViolations: [
            { field: 'subscription.endpoint', description: 'must not be a private address' },
            { field: 'subscription.p256dh', description: 'must be a P-256 point' },
            { field: 'subscription.auth', description: 'must be 16 bytes' },
          ],
        }),
      ]);
    });
    const response = await h.fetch(SUBSCRIPTIONS, { method: 'POST', token, json: subscription() });
    await expectProblem(response, 400, 'validation-failed', { fields: ['endpoint', 'keys.p256dh', 'keys.auth'] });
  });

  test('too many subscriptions is a 409 with its reason', async () => {
    h.notification.onPush('registerWebPushSubscription', async () => {
      throw new RichServerError(Status.RESOURCE_EXHAUSTED, 'at most 10', [
        ErrorInfo.fromPartial({ reason: 'TOO_MANY_SUBSCRIPTIONS' }),
      ]);
    });
    const response = await h.fetch(SUBSCRIPTIONS, { method: 'POST', token, json: subscription() });
    const problem = await expectProblem(response, 409, 'conflict');
    expect(problem.code).toBe('TOO_MANY_SUBSCRIPTIONS');
  });
});

describe('Expo push tokens', () => {
  test('register and unregister: 204 each', async () => {
    h.notification.onPush('registerExpoPushToken', async () => ({}));
    h.notification.onPush('unregisterExpoPushToken', async () => ({}));
    expect((await h.fetch(TOKENS, { method: 'POST', token, json: { token: EXPO } })).status).toBe(204);
    expect((await h.fetch(TOKENS, { method: 'DELETE', token, json: { token: EXPO } })).status).toBe(204);
    expect(h.notification.calls.map((c) => [c.method, c.request])).toEqual([
      ['registerExpoPushToken', { token: EXPO }],
      ['unregisterExpoPushToken', { token: EXPO }],
    ]);
  });

  test.each([
    ['no token', {}, ['token']],
    ['an empty token', { token: '' }, ['token']],
    ['a token over 256 characters', { token: 'x'.repeat(257) }, ['token']],
    ['an unknown field', { token: EXPO, platform: 'ios' }, ['platform']],
  ])('refuses %s', async (_, json, fields) => {
    await expectProblem(await h.fetch(TOKENS, { method: 'POST', token, json }), 400, 'validation-failed', { fields });
    expect(h.notification.calls).toEqual([]);
  });

  test('the service’s refusal of a token names the field', async () => {
    h.notification.onPush('registerExpoPushToken', async () => {
      throw new RichServerError(Status.INVALID_ARGUMENT, 'bad token', [
        BadRequest.fromPartial({ fieldViolations: [{ field: 'token', description: 'must be an Expo push token' }] }),
      ]);
    });
    const response = await h.fetch(TOKENS, { method: 'POST', token, json: { token: 'nope' } });
    await expectProblem(response, 400, 'validation-failed', { fields: ['token'] });
  });
});

test.each([
  ['POST', SUBSCRIPTIONS],
  ['DELETE', SUBSCRIPTIONS],
  ['POST', TOKENS],
  ['DELETE', TOKENS],
] as const)('%s %s needs an access token', async (method, path) => {
  const json = path === TOKENS ? { token: EXPO } : subscription();
  const problem = await expectProblem(await h.fetch(path, { method, json }), 401, 'unauthenticated');
  expect(problem.code).toBe('MISSING_TOKEN');
  expect(h.notification.calls).toEqual([]);
});
