/**
 * Issue 11, item 2: post-service is killed (SIGKILL) and stays down while requests keep
 * failing through the gateway, long enough for grpc-js's default reconnect backoff (1 s,
 * ×1.6 per failed attempt, up to 120 s) to have grown past 6 s. Started again on the same
 * port, it must be served through the gateway within 2 s of reporting healthy.
 */
import { createTestDatabase, eventually } from '@wren/testkit';
import { type Fleet, startFleet } from '@wren/testkit/process-fleet';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser } from './support/api.js';
import { send } from './support/harness.js';

const DOWN_MS = 15_000;

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({
    databases: {
      users: await createTestDatabase('users'),
      posts: await createTestDatabase('posts'),
      notifications: await createTestDatabase('notifications'),
    },
  });
}, 120_000);
afterAll(async () => {
  await fleet?.stop();
});

test('the gateway serves through a restarted service within 2 s of it being healthy', async () => {
  const gateway = fleet.gatewayUrls[0] as string;
  const ana = await registerUser(gateway, 'restart_ana');
  const timeline = () => send(gateway, '/v1/timelines/home', { token: ana.tokens.accessToken });
  expect((await timeline()).status).toBe(200);

  const post = fleet.instance('post-service');
  post.current.child.kill('SIGKILL');
  await post.current.exited;
  // Calls keep coming, as they would from clients: each failed one lets the channel try
  // to connect again, and each failed connect lengthens the channel's backoff.
  const downUntil = Date.now() + DOWN_MS;
  while (Date.now() < downUntil) {
    expect((await timeline()).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  await post.restart();
  await post.ready();
  const healthy = Date.now();
  await eventually(async () => (await timeline()).status === 200, 15_000);
  const servedAfterMs = Date.now() - healthy;
  console.log(`served through the gateway ${servedAfterMs} ms after post-service was healthy`);
  expect(servedAfterMs).toBeLessThan(2000);
}, 120_000);
