/**
 * End to end through the gateway and the real services: A holds GET /v1/notifications/stream
 * open while B follows A, and the event arrives; after a disconnect, Last-Event-ID brings
 * exactly what was missed, then the stream continues live.
 */
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { openSse, type SseConnection } from './support/sse.js';

let system: TestSystem;
const open: SseConnection[] = [];

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await system?.stop();
});

async function stream(user: SignedInUser, lastEventId?: string): Promise<SseConnection> {
  const headers: Record<string, string> = { authorization: `Bearer ${user.tokens.accessToken}` };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const connection = await openSse(`${system.gatewayUrl}/v1/notifications/stream`, headers);
  open.push(connection);
  return connection;
}

async function follow(follower: SignedInUser, followee: SignedInUser): Promise<void> {
  const path = `/v1/users/${followee.username}/follow`;
  const response = await send(system.gatewayUrl, path, { method: 'PUT', token: follower.tokens.accessToken });
  expect(response.status).toBe(200);
}

async function users<const N extends readonly string[]>(...names: N) {
  const all = await Promise.all(names.map((name) => registerUser(system.gatewayUrl, name)));
  return all as { [K in keyof N]: SignedInUser };
}

const actorsOf = (connection: SseConnection) =>
  connection.events.map((event) => (JSON.parse(event.data ?? '{}') as { actor: { id: string } }).actor.id);

test('A’s open stream gets B’s follow live, and a resumed stream gets only what came after', async () => {
  const [a, b, c, d] = await users('a', 'b', 'c', 'd');
  const first = await stream(a);
  expect(first.status).toBe(200);
  expect(first.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  await vi.waitFor(() => expect(first.comments).toContain('heartbeat'), { timeout: 5000 });

  await follow(b, a);
  await vi.waitFor(() => expect(first.events).toHaveLength(1), { timeout: 5000, interval: 50 });
  const [event] = first.events;
  expect(event?.event).toBe('notification');
  const notification = JSON.parse(event?.data ?? '{}') as { id: string; type: string; actor: { id: string } };
  expect(notification).toMatchObject({ id: event?.id, type: 'follow', actor: { id: b.id, username: b.username } });

  // Disconnected, C follows; the list shows it, the closed stream cannot.
  first.close();
  await first.ended;
  await follow(c, a);
  await vi.waitFor(
    async () => {
      const list = await send(system.gatewayUrl, '/v1/notifications', { token: a.tokens.accessToken });
      expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(2);
    },
    { timeout: 5000, interval: 100 },
  );

  const resumed = await stream(a, event?.id);
  await vi.waitFor(() => expect(resumed.events).toHaveLength(1), { timeout: 5000, interval: 50 });
  expect(actorsOf(resumed)).toEqual([c.id]);
  await follow(d, a);
  await vi.waitFor(() => expect(resumed.events).toHaveLength(2), { timeout: 5000, interval: 50 });
  expect(actorsOf(resumed)).toEqual([c.id, d.id]);
  expect(resumed.events.map((e) => e.event)).toEqual(['notification', 'notification']);
});

test('Last-Event-ID of someone else’s notification is a 404, and a malformed one a 400', async () => {
  const [a, b] = await users('a', 'b');
  await follow(a, b);
  let bsId = '';
  await vi.waitFor(
    async () => {
      const list = await send(system.gatewayUrl, '/v1/notifications', { token: b.tokens.accessToken });
      const items = ((await list.json()) as { items: { id: string }[] }).items;
      expect(items).toHaveLength(1);
      bsId = items[0]?.id ?? '';
    },
    { timeout: 5000, interval: 100 },
  );
  const path = '/v1/notifications/stream';
  const foreign = await send(system.gatewayUrl, path, {
    token: a.tokens.accessToken,
    headers: { 'last-event-id': bsId },
  });
  expect(foreign.status).toBe(404);
  expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const malformed = await send(system.gatewayUrl, path, {
    token: a.tokens.accessToken,
    headers: { 'last-event-id': 'x' },
  });
  expect(malformed.status).toBe(400);
});
