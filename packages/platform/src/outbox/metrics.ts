/**
 * How far behind each subscriber of this producer's outbox is: events not yet delivered
 * and the age of the oldest of them (the lag an alert watches), read at scrape time.
 */
import type pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { readAtMostEvery } from '../telemetry/read-at-most-every.js';

export interface OutboxMetrics {
  relayed(subscriber: string, count: number): void;
}

export function outboxMetrics(registry: Registry, pool: pg.Pool): OutboxMetrics {
  // Both gauges come from one query; a scrape collects them one after the other.
  const backlog = readAtMostEvery(1000, () =>
    pool
      .query<{ subscriber: string; pending: number; oldest_age_seconds: number | null }>(
        `SELECT c.subscriber, count(o.id) AS pending,
                extract(epoch FROM now() - min(o.created_at))::float8 AS oldest_age_seconds
           FROM outbox_cursors c
           LEFT JOIN outbox o ON (o.txid, o.id) > (c.last_txid, c.last_id)
          GROUP BY c.subscriber`,
      )
      .then(
        ({ rows }) =>
          new Map(
            rows.map((row) => [
              row.subscriber,
              { pending: row.pending, oldestAgeSeconds: row.oldest_age_seconds ?? 0 },
            ]),
          ),
      ),
  );
  new Gauge({
    name: 'wren_outbox_pending_events',
    help: 'Outbox events not yet delivered to the subscriber.',
    labelNames: ['subscriber'],
    registers: [registry],
    async collect() {
      for (const [subscriber, state] of await backlog()) this.set({ subscriber }, state.pending);
    },
  });
  new Gauge({
    name: 'wren_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox event the subscriber has not received (0 when none).',
    labelNames: ['subscriber'],
    registers: [registry],
    async collect() {
      for (const [subscriber, state] of await backlog()) this.set({ subscriber }, state.oldestAgeSeconds);
    },
  });
  const relayed = new Counter({
    name: 'wren_outbox_relayed_events_total',
    help: 'Outbox events delivered to the subscriber (redeliveries included).',
    labelNames: ['subscriber'],
    registers: [registry],
  });
  return {
    relayed(subscriber, count) {
      relayed.inc({ subscriber }, count);
    },
  };
}
