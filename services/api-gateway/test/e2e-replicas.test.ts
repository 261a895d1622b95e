/**
 * Horizontal scale, shown: two instances of every process (two gateways, two of each
 * service) as real OS processes on one PostgreSQL, and a Redis for the gateways' shared rate
 * limits. A burst of writes through both gateways must come out applied once, notified
 * once, relayed by one elected relay per subscriber, streamed to SSE clients on either
 * gateway, and the gateways must spend one rate-limit budget between them.
 */

import { type RedisServer, startRedisServer } from '@wren/testkit/redis-server';
import { type ProcessSystem, startSystemAsProcesses } from '@wren/testkit/system-processes';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, onTestFailed, test, vi } from 'vitest';
import { type RunningGateway, readGatewayConfig, startGateway } from '../src/index.js';
import { registerUser, type SignedInUser } from './support/api.js';
import { send } from './support/harness.js';
import { openSse, type SseConnection } from './support/sse.js';

// Login attempts per address per window: small, so that the shared budget is quick to spend.
const AUTH_MAX = 8;
const USERS = 4;
const POSTS_PER_USER = 4;

let redis: RedisServer;
let system: ProcessSystem;
const streams: SseConnection[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  system = await startSystemAsProcesses({
    replicas: 2,
    gatewayEnv: { RATE_LIMIT_REDIS_URL: redis.url, RATE_LIMIT_AUTH_MAX: String(AUTH_MAX) },
  });
}, 120_000);
// What the eight processes said, when a test fails.
beforeEach(() => onTestFailed(() => console.error(system.output())));
afterAll(async () => {
  for (const stream of streams) stream.close();
  await system?.stop();
  await redis?.stop();
});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The sum of a counter over one replica's metrics, by label set. */
async function counter(metricsUrl: string, name: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) values.set(match[1] ?? '', Number(match[2]));
  }
  return values;
}

function expectOk(response: Response, what: string): Promise<unknown> {
  return response.text().then((body) => {
    expect(response.status, `${what}: ${body}`).toBeLessThan(300);
    return body === '' ? undefined : JSON.parse(body);
  });
}

test('a burst through both gateways: every event applied once, every notification once, on every stream', async () => {
  const [first, second] = system.fleet.gatewayUrls as [string, string];
  const gateway = (i: number) => (i % 2 === 0 ? first : second);
  const users: SignedInUser[] = [];
  for (let i = 0; i < USERS; i++) users.push(await registerUser(gateway(i), `rep${i}`));

  // Every user watches on both gateways; the gateways' calls round-robin over both
  // notification-service replicas, so the streams sit on both and each must hear every NOTIFY.
  for (const [i, user] of users.entries()) {
    for (const url of [first, second]) {
      const stream = await openSse(`${url}/v1/notifications/stream`, {
        authorization: `Bearer ${user.tokens.accessToken}`,
      });
      expect(stream.status, `stream of user ${i} on ${url}`).toBe(200);
      streams.push(stream);
    }
  }

  let n = 0;
  const through = () => gateway(n++);
  // Everyone follows everyone, posts, and likes and comments on everyone else's posts.
  await Promise.all(
    users.flatMap((follower) =>
      users
        .filter((followee) => followee !== follower)
        .map(async (followee) =>
          expectOk(
            await send(through(), `/v1/users/${followee.username}/follow`, {
              method: 'PUT',
              token: follower.tokens.accessToken,
            }),
            'follow',
          ),
        ),
    ),
  );
  const posts = await Promise.all(
    users.flatMap((author) =>
      Array.from({ length: POSTS_PER_USER }, async (_, k) => {
        const created = (await expectOk(
          await send(through(), '/v1/posts', {
            method: 'POST',
            token: author.tokens.accessToken,
            json: { text: `post ${k} by ${author.username}` },
          }),
          'post',
        )) as { id: string };
        return { id: created.id, author };
      }),
    ),
  );
  await Promise.all(
    posts.flatMap((post) =>
      users
        .filter((user) => user !== post.author)
        .flatMap((user) => [
          send(through(), `/v1/posts/${post.id}/like`, { method: 'PUT', token: user.tokens.accessToken }).then(
            (response) => expectOk(response, 'like'),
          ),
          send(through(), `/v1/posts/${post.id}/comments`, {
            method: 'POST',
            token: user.tokens.accessToken,
            json: { text: `a comment by ${user.username}` },
          }).then((response) => expectOk(response, 'comment')),
        ]),
    ),
  );

  const others = USERS - 1;
  const expected = {
    follow: USERS * others,
    like: posts.length * others,
    comment: posts.length * others,
  };
  const total = expected.follow + expected.like + expected.comment;
  const { databases } = system;
  type Count = { type: string; count: number };
  await vi.waitFor(
    async () => {
      const rows = await query<Count>(
        databases.notifications,
        'SELECT type, count(*)::int AS count FROM notifications GROUP BY type ORDER BY type',
      );
      expect(Object.fromEntries(rows.map((row) => [row.type, row.count]))).toEqual(expected);
    },
    { timeout: 30_000, interval: 250 },
  );

  // Each notification once: no two for one action.
  const doubled = await query(
    databases.notifications,
    `SELECT recipient_id, type, actor_id, post_id, comment_id, count(*) FROM notifications
      GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1`,
  );
  expect(doubled).toEqual([]);

  // Every event applied once: each consumer has recorded exactly the events its producers
  // wrote (processed_events is keyed by event id, so a count that matches means none was
  // lost), and the outboxes are delivered to the end.
  const userEvents = await query<{ id: string }>(databases.users, 'SELECT event_id::text AS id FROM outbox');
  const postEvents = await query<{ id: string }>(databases.posts, 'SELECT event_id::text AS id FROM outbox');
  await vi.waitFor(
    async () => {
      const atPosts = await query<{ id: string }>(databases.posts, 'SELECT event_id::text AS id FROM processed_events');
      const atNotifications = await query<{ id: string }>(
        databases.notifications,
        'SELECT event_id::text AS id FROM processed_events',
      );
      expect(new Set(atPosts.map((row) => row.id))).toEqual(new Set(userEvents.map((row) => row.id)));
      expect(new Set(atNotifications.map((row) => row.id))).toEqual(
        new Set([...userEvents, ...postEvents].map((row) => row.id)),
      );
    },
    { timeout: 15_000, interval: 250 },
  );

  // Relays never double-deliver: per subscriber, the deliveries of both replicas of a
  // producer add up to its outbox rows (the counter counts redeliveries too), and one
  // replica — the holder of the advisory lock — made all of them.
  for (const [producer, rows, subscribers] of [
    ['user-service', userEvents.length, ['post-service', 'notification-service']],
    ['post-service', postEvents.length, ['notification-service']],
  ] as const) {
    const replicas = await Promise.all(
      [0, 1].map((i) =>
        counter(`${system.fleet.instance(producer, i).adminUrl}/metrics`, 'wren_outbox_relayed_events_total'),
      ),
    );
    for (const subscriber of subscribers) {
      const relayed = replicas.map((metrics) =>
        [...metrics].filter(([labels]) => labels.includes(`subscriber="${subscriber}"`)).reduce((a, [, v]) => a + v, 0),
      );
      expect(
        relayed.reduce((a, b) => a + b),
        `${producer} → ${subscriber}`,
      ).toBe(rows);
      expect(
        relayed.filter((count) => count > 0),
        `${producer} → ${subscriber}: one deliverer`,
      ).toHaveLength(1);
    }
  }

  // Every stream got its user's notifications, each once.
  const perRecipient = await query<{ recipient_id: string; count: number }>(
    databases.notifications,
    'SELECT recipient_id::text, count(*)::int AS count FROM notifications GROUP BY 1',
  );
  expect(perRecipient.reduce((sum, row) => sum + row.count, 0)).toBe(total);
  for (const [i, user] of users.entries()) {
    const count = perRecipient.find((row) => row.recipient_id === user.id)?.count ?? 0;
    for (const stream of [streams[2 * i], streams[2 * i + 1]]) {
      await vi.waitFor(() => expect(stream?.events.length).toBe(count), { timeout: 10_000, interval: 100 });
      expect(new Set(stream?.events.map((event) => event.id)).size).toBe(count);
    }
  }
  // And the streams were spread over both notification-service replicas, so both heard the
  // NOTIFYs (a stream's call is counted when it ends: close them first).
  for (const stream of streams) stream.close();
  await vi.waitFor(
    async () => {
      for (const i of [0, 1]) {
        const handled = await counter(
          `${system.fleet.instance('notification-service', i).adminUrl}/metrics`,
          'grpc_server_handled_total',
        );
        const streamed = [...handled]
          .filter(([labels]) => labels.includes('grpc_method="StreamNotifications"'))
          .reduce((sum, [, value]) => sum + value, 0);
        expect(streamed, `streams served by notification-service#${i}`).toBeGreaterThan(0);
      }
    },
    { timeout: 10_000, interval: 200 },
  );
}, 120_000);

test('rate limits are one budget across the gateways with Redis, and N budgets without', async () => {
  const user = await registerUser(system.fleet.gatewayUrls[0] as string, 'limit');
  const attempt = (url: string) =>
    send(url, '/v1/auth/login', { method: 'POST', json: { login: user.username, password: 'not the password' } });
  // Half the budget through each gateway, then one more: refused, wherever it arrives.
  const [first, second] = system.fleet.gatewayUrls as [string, string];
  for (let i = 0; i < AUTH_MAX; i++) expect((await attempt(i % 2 === 0 ? first : second)).status).toBe(401);
  expect((await attempt(first)).status).toBe(429);
  expect((await attempt(second)).status).toBe(429);

  // The same two-gateway setup with counts in memory lets twice the budget through: what
  // the shared store is for (and what the check above would miss without it).
  const memoryGateways: RunningGateway[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      memoryGateways.push(
        await startGateway(
          readGatewayConfig({
            LOG_LEVEL: 'silent',
            HOST: '127.0.0.1',
            PORT: '0',
            ADMIN_HOST: '127.0.0.1',
            ADMIN_PORT: '0',
            ...system.fleet.serviceTargets,
            RATE_LIMIT_AUTH_MAX: String(AUTH_MAX),
          }),
        ),
      );
    }
    const [a, b] = memoryGateways as [RunningGateway, RunningGateway];
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_MAX + 2; i++) statuses.push((await attempt(i % 2 === 0 ? a.url : b.url)).status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(AUTH_MAX + 2);
  } finally {
    for (const gateway of memoryGateways) await gateway.stop();
  }
}, 60_000);
