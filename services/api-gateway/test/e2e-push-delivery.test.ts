/**
 * Issue 5's end-to-end path through the gateway and every service: B likes A's post, and
 * A hears of it everywhere at once — a Web Push service that verifies the VAPID JWT and
 * decrypts the aes128gcm payload, the Expo push API, A's SSE stream, and the unread list.
 */
import { type ExpoPushFake, startExpoPushFake, startWebPushReceiver, type WebPushReceiver } from '@wren/testkit/push';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { registerUser } from './support/api.js';
import { send } from './support/harness.js';
import { openSse, type SseConnection } from './support/sse.js';

let system: TestSystem;
let receiver: WebPushReceiver;
let expo: ExpoPushFake;
let stream: SseConnection | undefined;

beforeAll(async () => {
  receiver = await startWebPushReceiver();
  expo = await startExpoPushFake();
  system = await startSystem({
    gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' },
    notificationServiceEnv: { EXPO_BASE_URL: expo.baseUrl, PUSH_POLL_INTERVAL_MS: '50' },
  });
});
afterAll(async () => {
  stream?.close();
  await system?.stop();
  await receiver?.close();
  await expo?.close();
});

test('a like reaches Web Push, Expo, the SSE stream and the unread list', async () => {
  const ana = await registerUser(system.gatewayUrl, 'push_ana');
  const ben = await registerUser(system.gatewayUrl, 'push_ben');
  const anaToken = ana.tokens.accessToken;

  const subscription = receiver.subscribe();
  const registered = await send(system.gatewayUrl, '/v1/push/web/subscriptions', {
    method: 'POST',
    token: anaToken,
    json: { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
  });
  expect(registered.status).toBe(201);
  const expoToken = 'ExponentPushToken[push-e2e-ana]';
  const tokenAnswer = await send(system.gatewayUrl, '/v1/push/expo/tokens', {
    method: 'POST',
    token: anaToken,
    json: { token: expoToken },
  });
  expect(tokenAnswer.status).toBeLessThan(300);

  stream = await openSse(`${system.gatewayUrl}/v1/notifications/stream`, { authorization: `Bearer ${anaToken}` });
  expect(stream.status).toBe(200);

  const created = await send(system.gatewayUrl, '/v1/posts', {
    method: 'POST',
    token: anaToken,
    json: { text: 'ana asks for likes' },
  });
  const post = (await created.json()) as { id: string };
  const liked = await send(system.gatewayUrl, `/v1/posts/${post.id}/like`, {
    method: 'PUT',
    token: ben.tokens.accessToken,
  });
  expect(liked.status).toBe(200);

  // Web Push: the receiver verified the VAPID JWT (ES256, aud = its origin, exp ≤ 24 h) and
  // decrypted the payload with the subscription's own keys.
  const [push] = await receiver.waitFor(1, (p) => p.subscriptionId === subscription.id, 10_000);
  expect(push?.claims.aud).toBe(receiver.origin);
  expect(push?.payload).toMatchObject({ type: 'like', url: `/posts/${post.id}` });
  expect(String(push?.payload.body)).toContain(`@${ben.username}`);
  expect(push?.headers.ttl).toBeDefined();

  // Expo: one message to A's token, naming B.
  const messages = await expo.waitForMessages(1, 10_000);
  expect(messages[0]?.to).toBe(expoToken);
  expect(messages[0]?.body).toContain(`@${ben.username}`);

  // SSE: the same notification, as a list item.
  await vi.waitFor(() => expect(stream?.events.some((e) => e.event === 'notification')).toBe(true), {
    timeout: 10_000,
  });
  const event = stream.events.find((e) => e.event === 'notification');
  const item = JSON.parse(event?.data ?? '{}') as { id: string; type: string; actor: { username: string } };
  expect(item).toMatchObject({ type: 'like', actor: { username: ben.username } });
  expect(push?.payload.notificationId).toBe(item.id);

  // And the list shows it, unread.
  const list = await send(system.gatewayUrl, '/v1/notifications?unread=true', { token: anaToken });
  const body = (await list.json()) as { items: { id: string; read: boolean }[] };
  expect(body.items.map((n) => [n.id, n.read])).toEqual([[item.id, false]]);
});
