import type { Event } from '@wren/contracts/events/v1/events.js';
import { Event as EventMessage } from '@wren/contracts/events/v1/events.js';
import { createTestDatabase, eventually } from '@wren/testkit';
import { type Kysely, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyBatchOnce,
  applyEventOnce,
  createDatabase,
  createLogger,
  createOutboxTables,
  createProcessedEventsTable,
  type Database,
  type OutboxRelay,
  publishEvents,
  startOutboxRelay,
} from '../src/index.js';

const log = createLogger('outbox-test', 'silent');
const followed = (followerId: string) =>
  ({ $case: 'userFollowed', value: { followerId, followeeId: 'b', followedAt: new Date() } }) as const;
const followerOf = (event: Event) => (event.payload?.$case === 'userFollowed' ? event.payload.value.followerId : '?');

describe('transactional outbox and relay', () => {
  let database: Database<unknown>;
  let db: Kysely<unknown>;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = createDatabase({ url: await createTestDatabase('outbox'), max: 6, applicationName: 'outbox-test' });
    db = database.db;
    await createOutboxTables(db);
    await createProcessedEventsTable(db);
  });
  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await database.close();
  });

  const collect = (name: string, options: { failFirst?: number } = {}) => {
    const received: Event[] = [];
    let failures = options.failFirst ?? 0;
    const relay = startOutboxRelay({
      pool: database.pool,
      log,
      pollIntervalMs: 50,
      maxBackoffMs: 100,
      subscribers: [
        {
          name,
          async deliver(events) {
            if (failures > 0) {
              failures -= 1;
              throw new Error('subscriber down');
            }
            received.push(...events);
          },
        },
      ],
    });
    relays.push(relay);
    return { received, relay };
  };

  it('delivers committed events in commit order, and never those of a rolled-back transaction', async () => {
    await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('order-1'), followed('order-2')]));
    await db
      .transaction()
      .execute(async (trx) => {
        await publishEvents(trx, 'test', [followed('rolled-back')]);
        throw new Error('roll back');
      })
      .catch(() => {});
    await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('order-3')]));

    const { received } = collect('in-order');
    await eventually(async () => received.length >= 3);
    expect(received.map(followerOf)).toEqual(['order-1', 'order-2', 'order-3']);
    expect(new Set(received.map((e) => e.id)).size).toBe(3);
    expect(received[0]?.producer).toBe('test');
  });

  it('does not pass over a transaction that commits after a later one (no gaps)', async () => {
    const { received } = collect('no-gaps');
    await eventually(async () => received.length >= 3);
    const before = received.length;

    // A takes its transaction id and outbox id first but commits last; B commits in between.
    const slow = await database.pool.connect();
    await slow.query('BEGIN');
    await slow.query('SELECT pg_current_xact_id()');
    const slowEvent = EventMessage.encode({
      id: '01900000-0000-7000-8000-00000000000a',
      occurredAt: new Date(),
      producer: 'test',
      traceparent: '',
      actors: [],
      payload: followed('slow-A'),
    }).finish();
    await slow.query(`INSERT INTO outbox (event_id, event_type, event) VALUES ($1, 'userFollowed', $2)`, [
      '01900000-0000-7000-8000-00000000000a',
      Buffer.from(slowEvent),
    ]);
    await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('fast-B')]));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received.slice(before).map(followerOf)).toEqual([]);

    await slow.query('COMMIT');
    slow.release();
    await eventually(async () => received.length >= before + 2);
    expect(received.slice(before).map(followerOf)).toEqual(['slow-A', 'fast-B']);
  });

  it('retries a failing subscriber with backoff and loses nothing', async () => {
    await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('retry-1')]));
    const { received } = collect('flaky', { failFirst: 3 });
    await eventually(async () => received.some((e) => followerOf(e) === 'retry-1'));
    expect(received.filter((e) => followerOf(e) === 'retry-1')).toHaveLength(1);
  });

  it('lets only one relay deliver to a subscriber at a time', async () => {
    const first = collect('single-leader');
    const second = collect('single-leader');
    await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('leader-1')]));
    await eventually(async () => first.received.length + second.received.length >= 6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const total = [...first.received, ...second.received].filter((e) => followerOf(e) === 'leader-1');
    expect(total).toHaveLength(1);
    expect(Math.min(first.received.length, second.received.length)).toBe(0);
  });

  it('holds an event back while an older transaction runs, then delivers it at once, not after a poll', async () => {
    // Its own pool and connection: the shared pool is held by the relays of the tests above.
    const url = database.pool.options.connectionString ?? '';
    const own = createDatabase({ url, max: 3, applicationName: 'held-back' });
    const received: Event[] = [];
    const relay = startOutboxRelay({
      pool: own.pool,
      log,
      // Far longer than the test waits: only the held-back retry can deliver in time.
      pollIntervalMs: 30_000,
      subscribers: [{ name: 'held-back', deliver: async (events) => void received.push(...events) }],
    });
    const older = new pg.Client({ connectionString: url });
    await older.connect();
    try {
      await eventually(async () => {
        const { rows } = await older.query("SELECT 1 FROM outbox_cursors WHERE subscriber = 'held-back'");
        return rows.length === 1;
      });
      // An older transaction with an id, still open: it could yet commit an event before ours.
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()');
      await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('held-1')]));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.filter((e) => followerOf(e) === 'held-1')).toHaveLength(0);
      // It ends without writing an event: no NOTIFY comes.
      await older.query('COMMIT');
      const ended = performance.now();
      await eventually(async () => received.some((e) => followerOf(e) === 'held-1'), 2000);
      expect(performance.now() - ended).toBeLessThan(1000);
    } finally {
      await older.end();
      await relay.stop();
      await own.close();
    }
  });

  it('reads again at once after a NOTIFY that came while it was delivering, not after a poll', async () => {
    const own = createDatabase({ url: database.pool.options.connectionString ?? '', max: 3, applicationName: 'busy' });
    const received: string[] = [];
    let delivering: (() => void) | undefined;
    const relay = startOutboxRelay({
      pool: own.pool,
      log,
      // Far longer than the test waits: only the remembered NOTIFY can deliver in time.
      pollIntervalMs: 30_000,
      subscribers: [
        {
          name: 'busy',
          async deliver(events) {
            delivering?.();
            // A slow subscriber: the next event commits (and NOTIFYs) while this one is delivered.
            await new Promise((resolve) => setTimeout(resolve, 300));
            received.push(...events.map(followerOf));
          },
        },
      ],
    });
    try {
      // Listening (the cursor is made after LISTEN): a NOTIFY before that would be missed.
      await eventually(async () => {
        const { rows } = await own.pool.query("SELECT 1 FROM outbox_cursors WHERE subscriber = 'busy'");
        return rows.length === 1;
      });
      const firstDelivery = new Promise<void>((resolve) => {
        delivering = resolve;
      });
      await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('busy-1')]));
      await firstDelivery;
      delivering = undefined;
      await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('busy-2')]));
      const published = performance.now();
      await eventually(async () => received.includes('busy-2'), 3000);
      expect(performance.now() - published).toBeLessThan(2000);
      expect(received.filter((name) => name.startsWith('busy-'))).toEqual(['busy-1', 'busy-2']);
    } finally {
      await relay.stop();
      await own.close();
    }
  });

  it('serves several subscribers from one relay, and releases every connection on stop', async () => {
    // Its own pool: closing it waits for every connection the relay took, so a leaked one hangs here.
    const own = createDatabase({ url: database.pool.options.connectionString ?? '', max: 4, applicationName: 'own' });
    const seen: Record<string, number> = { first: 0, second: 0 };
    const relay = startOutboxRelay({
      pool: own.pool,
      log,
      pollIntervalMs: 50,
      subscribers: ['first', 'second'].map((name) => ({
        name: `several-${name}`,
        async deliver(events: Event[]) {
          seen[name] = (seen[name] ?? 0) + events.length;
        },
      })),
    });
    await db.transaction().execute((trx) => publishEvents(trx, 'test', [followed('several')]));
    await eventually(async () => (seen.first ?? 0) > 0 && (seen.second ?? 0) > 0);
    await relay.stop();
    await own.close();
    expect(seen.first).toBe(seen.second);
  });

  it('applies a redelivered event only once', async () => {
    let applied = 0;
    const event: Event = {
      id: '01900000-0000-7000-8000-0000000000ff',
      occurredAt: new Date(),
      producer: 'test',
      traceparent: '',
      actors: [],
      payload: followed('once'),
    };
    const handlers = {
      userFollowed: async () => {
        applied += 1;
      },
    };
    expect(await applyEventOnce(db, event, handlers)).toBe(true);
    expect(await applyEventOnce(db, event, handlers)).toBe(false);
    expect(applied).toBe(1);
  });

  it('records nothing when the handler fails, so the redelivery applies it', async () => {
    const event: Event = {
      id: '01900000-0000-7000-8000-0000000000fe',
      occurredAt: new Date(),
      producer: 'test',
      traceparent: '',
      actors: [],
      payload: followed('fails-once'),
    };
    let calls = 0;
    const handlers = {
      userFollowed: async () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
      },
    };
    await expect(applyEventOnce(db, event, handlers)).rejects.toThrow('transient');
    expect(await applyEventOnce(db, event, handlers)).toBe(true);
    expect(calls).toBe(2);
  });

  it('applies a delivered batch in one transaction: each new event once, in order, or none of them', async () => {
    const eventOf = (n: number, follower: string): Event => ({
      id: `01900000-0000-7000-8000-00000000b${String(n).padStart(3, '0')}`,
      occurredAt: new Date(),
      producer: 'test',
      traceparent: '',
      actors: [],
      payload: followed(follower),
    });
    const [first, second, third] = [eventOf(1, 'b1'), eventOf(2, 'b2'), eventOf(3, 'b3')] as [Event, Event, Event];
    await applyEventOnce(db, first, { userFollowed: async () => {} });
    const seen: string[] = [];
    let failOn: string | undefined = 'b3';
    const handlers = {
      userFollowed: async (trx: Transaction<unknown>, value: { followerId: string }) => {
        await sql`INSERT INTO batch_effects (follower) VALUES (${value.followerId})`.execute(trx);
        if (value.followerId === failOn) throw new Error('transient');
        seen.push(value.followerId);
      },
    };
    await sql`CREATE TABLE batch_effects (follower text)`.execute(db);
    // The third fails: the second's effect and its processed id are rolled back with it.
    await expect(applyBatchOnce(db, [first, second, third], handlers)).rejects.toThrow('transient');
    expect((await sql`SELECT * FROM batch_effects`.execute(db)).rows).toEqual([]);
    // Redelivered (with a repeat inside the batch): the first was applied before, the others once each.
    failOn = undefined;
    seen.length = 0;
    const applied = await applyBatchOnce(db, [first, second, third, second], handlers);
    expect(applied.map(followerOf)).toEqual(['b2', 'b3']);
    expect(seen).toEqual(['b2', 'b3']);
    expect(await applyBatchOnce(db, [second, third], handlers)).toEqual([]);
    expect((await sql`SELECT follower FROM batch_effects ORDER BY follower`.execute(db)).rows).toEqual([
      { follower: 'b2' },
      { follower: 'b3' },
    ]);
  });
});
