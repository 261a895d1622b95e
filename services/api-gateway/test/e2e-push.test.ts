/**
 * End to end through the gateway and the real notification-service: the VAPID key, and
 * registering and unregistering Web Push subscriptions and Expo tokens, refusals included.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { expectProblem } from './support/problems.js';

let system: TestSystem;
let user: SignedInUser;

beforeAll(async () => {
  // startSystem allows loopback endpoints (PUSH_ALLOW_PRIVATE_ENDPOINTS): nothing is pushed here.
  system = await startSystem({
    gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' },
  });
  user = await registerUser(system.gatewayUrl, 'pusher');
});
afterAll(() => system?.stop());

const api = (path: string, init: Parameters<typeof send>[2] = {}) =>
  send(system.gatewayUrl, path, { token: user.tokens.accessToken, ...init });

function browserSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

test('the VAPID public key is there for anyone: an uncompressed P-256 point', async () => {
  const response = await send(system.gatewayUrl, '/v1/push/web/vapid-key');
  expect(response.status).toBe(200);
  const { publicKey } = (await response.json()) as { publicKey: string };
  const bytes = Buffer.from(publicKey, 'base64url');
  expect([bytes.length, bytes[0]]).toEqual([65, 0x04]);
});

test('a Web Push subscription registers (again: same id), and unregisters', async () => {
  const endpoint = `https://127.0.0.1:9/push/${randomBytes(6).toString('hex')}`;
  const first = await api('/v1/push/web/subscriptions', { method: 'POST', json: browserSubscription(endpoint) });
  expect(first.status, await first.clone().text()).toBe(201);
  const { id } = (await first.json()) as { id: string };
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const again = await api('/v1/push/web/subscriptions', { method: 'POST', json: browserSubscription(endpoint) });
  expect(again.status).toBe(201);
  expect(await again.json()).toEqual({ id });
  const removed = await api('/v1/push/web/subscriptions', { method: 'DELETE', json: { endpoint } });
  expect(removed.status).toBe(204);
  expect((await api('/v1/push/web/subscriptions', { method: 'DELETE', json: { endpoint } })).status).toBe(204);
});

test('the service’s refusals come back under the client’s field names', async () => {
  const good = browserSubscription('https://127.0.0.1:9/push/x');
  const cases: [unknown, string[]][] = [
    // Plain http is for loopback development only; a public address must be https.
    [{ ...good, endpoint: 'http://93.184.216.34/push/x' }, ['endpoint']],
    [{ ...good, keys: { ...good.keys, p256dh: randomBytes(65).toString('base64url') } }, ['keys.p256dh']],
    [{ ...good, keys: { ...good.keys, auth: randomBytes(8).toString('base64url') } }, ['keys.auth']],
  ];
  for (const [json, fields] of cases) {
    const response = await api('/v1/push/web/subscriptions', { method: 'POST', json });
    await expectProblem(response, 400, 'validation-failed', { fields });
  }
});

test('an Expo push token registers and unregisters; a malformed one is a 400', async () => {
  const token = `ExponentPushToken[${randomBytes(11).toString('hex')}]`;
  expect((await api('/v1/push/expo/tokens', { method: 'POST', json: { token } })).status).toBe(204);
  expect((await api('/v1/push/expo/tokens', { method: 'POST', json: { token } })).status).toBe(204);
  expect((await api('/v1/push/expo/tokens', { method: 'DELETE', json: { token } })).status).toBe(204);
  const bad = await api('/v1/push/expo/tokens', { method: 'POST', json: { token: 'not-a-token' } });
  await expectProblem(bad, 400, 'validation-failed', { fields: ['token'] });
});

test('a destination registered by one account is refused to another (409 DESTINATION_TAKEN) until it is removed', async () => {
  const other = await registerUser(system.gatewayUrl, 'taker');
  const asOther = (path: string, init: Parameters<typeof send>[2] = {}) =>
    send(system.gatewayUrl, path, { token: other.tokens.accessToken, ...init });
  const endpoint = `https://127.0.0.1:9/push/${randomBytes(6).toString('hex')}`;
  const token = `ExponentPushToken[${randomBytes(11).toString('hex')}]`;
  expect(
    (await api('/v1/push/web/subscriptions', { method: 'POST', json: browserSubscription(endpoint) })).status,
  ).toBe(201);
  expect((await api('/v1/push/expo/tokens', { method: 'POST', json: { token } })).status).toBe(204);

  const web = await asOther('/v1/push/web/subscriptions', { method: 'POST', json: browserSubscription(endpoint) });
  expect((await expectProblem(web, 409, 'conflict')).code).toBe('DESTINATION_TAKEN');
  const expo = await asOther('/v1/push/expo/tokens', { method: 'POST', json: { token } });
  expect((await expectProblem(expo, 409, 'conflict')).code).toBe('DESTINATION_TAKEN');

  // The device changes account: the first one removes it, then the other may register it.
  expect((await api('/v1/push/web/subscriptions', { method: 'DELETE', json: { endpoint } })).status).toBe(204);
  expect((await api('/v1/push/expo/tokens', { method: 'DELETE', json: { token } })).status).toBe(204);
  expect(
    (await asOther('/v1/push/web/subscriptions', { method: 'POST', json: browserSubscription(endpoint) })).status,
  ).toBe(201);
  expect((await asOther('/v1/push/expo/tokens', { method: 'POST', json: { token } })).status).toBe(204);
});
