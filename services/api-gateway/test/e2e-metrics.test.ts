/**
 * After a little real traffic, every process's /metrics (on its admin port) has the RED
 * series of what it did, the outbox and push series, and only bounded label values: route
 * templates and method names, never the ids or usernames the requests carried.
 */
import { metricValue, scrape } from '@wren/testkit';
import { startWebPushReceiver, type WebPushReceiver } from '@wren/testkit/push';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser } from './support/api.js';
import { send } from './support/harness.js';

let system: TestSystem;
let push: WebPushReceiver;

beforeAll(async () => {
  push = await startWebPushReceiver();
  system = await startSystem({
    gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' },
    notificationServiceEnv: { PUSH_POLL_INTERVAL_MS: '50' },
  });
});
afterAll(async () => {
  await system?.stop();
  await push?.close();
});

test('every process exposes RED, outbox, push and pool series after traffic, with bounded labels', async () => {
  const ana = await registerUser(system.gatewayUrl, 'metrics_ana');
  const ben = await registerUser(system.gatewayUrl, 'metrics_ben');
  const subscription = push.subscribe();
  await send(system.gatewayUrl, '/v1/push/web/subscriptions', {
    method: 'POST',
    token: ana.tokens.accessToken,
    json: { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
  });
  const followed = await send(system.gatewayUrl, `/v1/users/${ana.username}/follow`, {
    method: 'PUT',
    token: ben.tokens.accessToken,
  });
  expect(followed.status).toBeLessThan(300);
  const created = await send(system.gatewayUrl, '/v1/posts', {
    method: 'POST',
    token: ana.tokens.accessToken,
    json: { text: 'measured' },
  });
  const post = (await created.json()) as { id: string };
  await send(system.gatewayUrl, `/v1/posts/${post.id}/like`, { method: 'PUT', token: ben.tokens.accessToken });
  await send(system.gatewayUrl, '/v1/timelines/home', { token: ben.tokens.accessToken });
  const missing = await send(system.gatewayUrl, '/v1/posts/01900000-0000-7000-8000-000000000000', {
    token: ben.tokens.accessToken,
  });
  expect(missing.status).toBe(404);
  // The follow and the like were pushed to Ana: the outbox and the delivery queue did their work.
  await push.waitFor(2, (received) => received.subscriptionId === subscription.id, 10_000);

  const gateway = await scrape(system.metricsUrls['api-gateway']);
  const http = 'http_server_request_duration_seconds_count';
  expect(metricValue(gateway, http, { method: 'POST', route: '/v1/posts', status_code: '201' })).toBe(1);
  expect(metricValue(gateway, http, { method: 'PUT', route: '/v1/posts/:id/like', status_code: '200' })).toBe(1);
  expect(metricValue(gateway, http, { method: 'GET', route: '/v1/posts/:id', status_code: '404' })).toBe(1);
  expect(metricValue(gateway, 'grpc_client_handled_total', { grpc_method: 'CreatePost', grpc_code: 'OK' })).toBe(1);
  expect(metricValue(gateway, 'grpc_client_handled_total', { grpc_method: 'GetPost', grpc_code: 'NOT_FOUND' })).toBe(1);

  const user = await scrape(system.metricsUrls['user-service']);
  expect(metricValue(user, 'grpc_server_handled_total', { grpc_method: 'Register', grpc_code: 'OK' })).toBe(2);
  expect(metricValue(user, 'wren_outbox_relayed_events_total', { subscriber: 'post-service' })).toBeGreaterThan(0);
  expect(
    metricValue(user, 'wren_outbox_pending_events', { subscriber: 'notification-service' }),
  ).toBeGreaterThanOrEqual(0);
  expect(metricValue(user, 'wren_db_pool_max_connections')).toBeGreaterThan(0);

  const posts = await scrape(system.metricsUrls['post-service']);
  expect(metricValue(posts, 'grpc_server_handled_total', { grpc_method: 'CreatePost', grpc_code: 'OK' })).toBe(1);
  expect(metricValue(posts, 'wren_events_consumed_total', { event_type: 'userFollowed' })).toBe(1);
  expect(metricValue(posts, 'wren_outbox_oldest_pending_age_seconds', { subscriber: 'notification-service' })).toBe(0);

  const notifications = await scrape(system.metricsUrls['notification-service']);
  expect(metricValue(notifications, 'wren_events_consumed_total', { event_type: 'postLiked' })).toBe(1);
  expect(metricValue(notifications, 'wren_push_attempts_total', { channel: 'web', outcome: 'delivered' })).toBe(2);
  expect(metricValue(notifications, 'wren_push_attempts_total', { channel: 'expo', outcome: 'failed' })).toBe(0);
  expect(metricValue(notifications, 'wren_push_queue_depth', { channel: 'web', status: 'pending' })).toBe(0);
  expect(metricValue(notifications, 'wren_notification_streams_active')).toBe(0);

  // Bounded labels: nothing a request carried shows up as a label value.
  for (const text of [gateway, user, posts, notifications]) {
    for (const value of [post.id, ana.username, ben.username, ana.id, ben.id]) expect(text).not.toContain(value);
  }
});
