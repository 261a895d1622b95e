/**
 * Issue 11, item 1, for the outbox relay: its session (LISTEN, and the advisory lock that
 * makes one relay per subscriber the deliverer) is ended by the server, as a restart or
 * pg_terminate_backend does. The relay opens a new session and must win the lock again on
 * it before delivering: the old lock died with the old session, and another replica may
 * hold it by now. Otherwise both deliver every event.
 */
import type { Event } from '@wren/contracts/events/v1/events.js';
import { createTestDatabase, eventually } from '@wren/testkit';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  createDatabase,
  createLogger,
  createOutboxTables,
  type Database,
  type OutboxRelay,
  publishEvents,
  startOutboxRelay,
} from '../src/index.js';

const log = createLogger('outbox-reconnect-test', 'silent');
const followed = (followerId: string) =>
  ({ $case: 'userFollowed', value: { followerId, followeeId: 'b', followedAt: new Date() } }) as const;
const followerOf = (event: Event) => (event.payload?.$case === 'userFollowed' ? event.payload.value.followerId : '?');

let url: string;
const databases: Database<unknown>[] = [];
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  url = await createTestDatabase('outbox_reconnect');
});
afterAll(async () => {
  for (const relay of relays) await relay.stop();
  for (const database of databases) await database.close();
});

/** A relay replica with a pool of its own, named so that its connections can be found. */
function replica(name: string): { received: Event[]; database: Database<unknown> } {
  const database = createDatabase({ url, max: 3, applicationName: name, logger: log });
  databases.push(database);
  const received: Event[] = [];
  relays.push(
    startOutboxRelay({
      pool: database.pool,
      log,
      pollIntervalMs: 50,
      maxBackoffMs: 100,
      subscribers: [{ name: 'reconnect', deliver: async (events) => void received.push(...events) }],
    }),
  );
  return { received, database };
}

test('after losing its session, a relay delivers again only once it holds the lock again', async () => {
  const setup = createDatabase({ url, max: 1, applicationName: 'setup', logger: log });
  databases.push(setup);
  await createOutboxTables(setup.db);
  const replicas = { a: replica('relay-a'), b: replica('relay-b') };
  await setup.db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('before')]));
  await eventually(async () => replicas.a.received.length + replicas.b.received.length > 0);
  const leader = replicas.a.received.length > 0 ? 'relay-a' : 'relay-b';

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [leader]);
  await admin.end();
  // Both replicas retry within a few hundred milliseconds; give them time to settle.
  await new Promise((resolve) => setTimeout(resolve, 1500));

  const after = Array.from({ length: 20 }, (_, i) => `after-${i}`);
  for (const id of after) {
    await setup.db.transaction().execute((trx) => publishEvents(trx, 'test', [followed(id)]));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deliveredAfter = () =>
    [...replicas.a.received, ...replicas.b.received].map(followerOf).filter((id) => id.startsWith('after-'));
  await eventually(async () => new Set(deliveredAfter()).size === after.length, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(deliveredAfter().sort()).toEqual([...after].sort());
});
