/**
 * The outbox relay: delivers a producer's outbox rows to each subscriber, in commit order,
 * at least once. One relay process per subscriber delivers at a time (a session advisory
 * lock elects it), so several replicas of a producer never deliver out of order. A NOTIFY
 * on commit wakes it at once; a poll catches what a lost notification would miss.
 * Consumers make at-least-once exactly-once by recording event ids (see consumer.ts).
 */
import { SpanKind } from '@opentelemetry/api';
import { Event } from '@wren/contracts/events/v1/events.js';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { isConnectionError } from '../db/connection-errors.js';
import type { Logger } from '../logger.js';
import { inSpanContinuing } from '../telemetry/trace-context.js';
import { type OutboxMetrics, outboxMetrics } from './metrics.js';
import { OUTBOX_CHANNEL } from './publish.js';

export interface OutboxSubscriber {
  /** Stable name: the key of its delivery cursor. */
  name: string;
  /** Hands the events over; resolves when the subscriber has applied all of them. */
  deliver(events: Event[]): Promise<void>;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  subscribers: OutboxSubscriber[];
  log: Logger;
  batchSize?: number;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  /** Delivered rows older than this are deleted once every subscriber has them. */
  retentionMs?: number;
  /** The producer's metrics registry: backlog and delivered counts go there. */
  registry?: Registry;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

const DATABASE_RETRY_MAX_MS = 2000;

/** A stable 32-bit key for the subscriber's advisory lock. */
function lockKey(name: string): number {
  let hash = 0;
  for (const char of `outbox:${name}`) hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) | 0;
  return hash;
}

interface BatchRow {
  id: string;
  txid: string;
  event: Buffer;
  /** Below the oldest running transaction: no row can still commit before it. */
  ready: boolean;
}

/**
 * A committed event that is not yet ready (an older transaction is still running) is
 * looked at again this soon, not after the poll interval: no NOTIFY will come for it when
 * that older transaction ends, and under steady load the last events of a burst would
 * otherwise wait a whole poll (≈ 1 s) to be delivered.
 */
export const HELD_BACK_RETRY_MS = 20;

/** Delivers the next ready rows; says how many, and whether committed rows wait behind them. */
async function deliverBatch(
  options: Required<Pick<OutboxRelayOptions, 'pool' | 'batchSize'>> & { metrics?: OutboxMetrics },
  subscriber: OutboxSubscriber,
): Promise<{ delivered: number; heldBack: boolean }> {
  // In (txid, id) order every ready row comes before every row that is not: one more row
  // than a batch tells whether anything is held back.
  const { rows: read } = await options.pool.query<BatchRow>(
    `SELECT o.id, o.txid::text AS txid, o.event, o.txid < pg_snapshot_xmin(pg_current_snapshot()) AS ready
       FROM outbox o, outbox_cursors c
      WHERE c.subscriber = $1
        AND (o.txid, o.id) > (c.last_txid, c.last_id)
      ORDER BY o.txid, o.id
      LIMIT $2`,
    [subscriber.name, options.batchSize + 1],
  );
  const rows = read.filter((row) => row.ready).slice(0, options.batchSize);
  const heldBack = read.some((row) => !row.ready);
  if (rows.length === 0) return { delivered: 0, heldBack };
  const events = rows.map((row) => Event.decode(row.event));
  // The delivery continues the trace of the request that caused the events.
  await inSpanContinuing(
    `outbox deliver ${subscriber.name}`,
    events.map((event) => event.traceparent),
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.batch.message_count': events.length } },
    () => subscriber.deliver(events),
  );
  options.metrics?.relayed(subscriber.name, rows.length);
  const last = rows[rows.length - 1] as BatchRow;
  await options.pool.query(
    'UPDATE outbox_cursors SET last_txid = $2::xid8, last_id = $3, updated_at = now() WHERE subscriber = $1',
    [subscriber.name, last.txid, last.id],
  );
  return { delivered: rows.length, heldBack };
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const retentionMs = options.retentionMs ?? 24 * 3600 * 1000;
  const { log, pool } = options;
  const metrics = options.registry ? outboxMetrics(options.registry, pool) : undefined;
  for (const subscriber of options.subscribers) metrics?.relayed(subscriber.name, 0);
  const stopping = new AbortController();
  const wakers = new Set<() => void>();
  // A NOTIFY that arrives while a subscriber is delivering, not pausing, wakes no one: each
  // subscriber remembers it instead and reads again at once, or the last events of a burst
  // would wait a whole poll interval (the bench saw ≈ 1.1 s after every step).
  const notifiedSince = new Map<string, boolean>();
  const wakeAll = () => {
    for (const name of notifiedSince.keys()) notifiedSince.set(name, true);
    for (const wake of wakers) wake();
  };

  // One dedicated connection: it LISTENs, and holds the subscribers' advisory locks, which
  // PostgreSQL releases by itself if this process dies.
  // Shared by every subscriber loop, so it is created once even when they all start at once.
  let session: Promise<pg.PoolClient> | undefined;
  let sessionClient: pg.PoolClient | undefined;
  // Sessions already given back after an error: never released twice (pg-pool throws).
  const released = new WeakSet<pg.PoolClient>();
  const connect = (): Promise<pg.PoolClient> => {
    session ??= (async () => {
      const client = await pool.connect();
      client.on('notification', wakeAll);
      let lost = false;
      client.on('error', (error) => {
        // A dying connection may report more than one error; it is released once.
        if (lost) return;
        lost = true;
        log.warn({ err: error }, 'outbox relay lost its connection; reconnecting');
        if (sessionClient === client) {
          session = undefined;
          sessionClient = undefined;
        }
        released.add(client);
        client.release(true);
      });
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      // Lost after LISTEN was answered but before this line: a dead session must not be
      // kept (every use of it would fail, and nothing would ever replace it).
      if (lost) throw new Error('the outbox relay lost its connection while starting its session');
      sessionClient = client;
      return client;
    })().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    return session;
  };

  /** Resolves after `ms`, or sooner on a NOTIFY (when `wakeable`) or on stop. */
  const pause = (ms: number, wakeable: boolean) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeable) wakers.add(done);
      // Stopped while delivering: the abort has fired already and would never end this wait.
      if (stopping.signal.aborted) return done();
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  const runSubscriber = async (subscriber: OutboxSubscriber) => {
    let failures = 0;
    // The session whose advisory lock makes this loop the leader. The lock ends with that
    // session: after a reconnect (the server restarted, the connection was terminated) it
    // must be taken again on the new one before delivering, or two replicas could deliver.
    let leaderOf: pg.PoolClient | undefined;
    while (!stopping.signal.aborted) {
      try {
        const client = await connect();
        if (leaderOf !== client) {
          leaderOf = undefined;
          await pool.query('INSERT INTO outbox_cursors (subscriber) VALUES ($1) ON CONFLICT DO NOTHING', [
            subscriber.name,
          ]);
          const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
            lockKey(subscriber.name),
          ]);
          if (rows[0]?.locked) leaderOf = client;
          else {
            await pause(pollIntervalMs * 5, false);
            continue;
          }
          log.info({ subscriber: subscriber.name }, 'outbox relay delivering');
        }
        // Set before the read: a NOTIFY from here on may be of a row the read does not see.
        notifiedSince.set(subscriber.name, false);
        const { delivered, heldBack } = await deliverBatch({ pool, batchSize, metrics }, subscriber);
        failures = 0;
        if (notifiedSince.get(subscriber.name)) continue;
        if (heldBack) await pause(HELD_BACK_RETRY_MS, true);
        else if (delivered < batchSize) await pause(pollIntervalMs, true);
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures += 1;
        // Exponential backoff with full jitter: a subscriber that is down is not hammered.
        // Our own database being away is capped lower: trying to connect costs it nothing,
        // and delivery should resume within moments of its return.
        const cap = isConnectionError(error) ? Math.min(maxBackoffMs, DATABASE_RETRY_MAX_MS) : maxBackoffMs;
        const backoff = Math.min(cap, 100 * 2 ** Math.min(failures, 16)) * (0.5 + Math.random() / 2);
        log.warn(
          { subscriber: subscriber.name, err: error, attempt: failures, retryInMs: Math.round(backoff) },
          'outbox delivery failed; will retry',
        );
        await pause(backoff, false);
      }
    }
  };

  const pruneDelivered = async () => {
    const names = options.subscribers.map((s) => s.name);
    await pool
      .query(
        `DELETE FROM outbox o
          USING (SELECT last_txid, last_id FROM outbox_cursors WHERE subscriber = ANY($1)
                 ORDER BY last_txid, last_id LIMIT 1) slowest
          WHERE (SELECT count(*) FROM outbox_cursors WHERE subscriber = ANY($1)) = $2
            AND (o.txid, o.id) <= (slowest.last_txid, slowest.last_id)
            AND o.created_at < now() - make_interval(secs => $3)`,
        [names, names.length, retentionMs / 1000],
      )
      .catch((error: unknown) => log.warn({ err: error }, 'outbox prune failed'));
  };
  const pruneTimer = setInterval(() => void pruneDelivered(), Math.min(retentionMs, 3600_000));
  pruneTimer.unref();

  const loops = options.subscribers.map((subscriber) => runSubscriber(subscriber));

  return {
    async stop() {
      stopping.abort();
      clearInterval(pruneTimer);
      await Promise.all(loops);
      const client = sessionClient ?? (await session?.catch(() => undefined));
      session = undefined;
      sessionClient = undefined;
      // Releasing the connection ends the session, and with it the advisory locks.
      if (client && !released.has(client)) client.release(true);
    },
  };
}
