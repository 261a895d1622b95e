/**
 * End to end: a mention of a user whose registration has not reached post-service (its
 * copy of the users is fed by user-service's events, withheld here for good) is still
 * resolved — post-service asks user-service for the names it lacks — and notifies them.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '@wren/testkit';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser } from './support/api.js';
import { send } from './support/harness.js';

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({
    gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' },
    withholdUserEventsFromPostService: true,
  });
});
afterAll(() => system?.stop());

test('a post mentioning a user post-service has not heard of yet mentions and notifies them', async () => {
  const [ana, ben] = await Promise.all([
    registerUser(system.gatewayUrl, 'lag_ana'),
    registerUser(system.gatewayUrl, 'lag_ben'),
  ]);
  const created = await send(system.gatewayUrl, '/v1/posts', {
    method: 'POST',
    token: ana.tokens.accessToken,
    headers: { 'idempotency-key': randomUUID() },
    json: { text: `hello @${ben.username}` },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const post = (await created.json()) as { id: string; mentions: { userId: string; username: string }[] };
  expect(post.mentions).toEqual([{ userId: ben.id, username: ben.username }]);

  await eventually(async () => {
    const response = await send(system.gatewayUrl, '/v1/notifications', { token: ben.tokens.accessToken });
    const page = (await response.json()) as { items: { type: string; actor: { id: string }; target: unknown }[] };
    return page.items.some(
      (item) => item.type === 'mention' && item.actor.id === ana.id && JSON.stringify(item.target).includes(post.id),
    );
  }, 10_000);
});
