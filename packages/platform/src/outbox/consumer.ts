/**
 * The consumer side: an EventSinkService whose every event is applied at most once. The
 * event id goes into `processed_events` in the same transaction as the event's effect, so
 * a redelivered event (the relay delivers at least once) changes nothing. A delivered
 * batch is applied in one transaction (see applyBatchOnce).
 */

import { SpanKind, trace } from '@opentelemetry/api';
import type { EventSinkServiceImplementation } from '@wren/contracts/events/v1/event_sink_service.js';
import type { Event } from '@wren/contracts/events/v1/events.js';
import { type Kysely, sql, type Transaction } from 'kysely';
import { Counter, type Registry } from 'prom-client';
import type { WrenCallContextExt } from '../grpc/call-context.js';
import type { Logger } from '../logger.js';
import { inSpanContinuing } from '../telemetry/trace-context.js';

type Payload = NonNullable<Event['payload']>;
type Case = Payload['$case'];
type ValueOf<C extends Case> = Extract<Payload, { $case: C }>['value'];

/** What a consumer does with each kind of event it cares about; others are recorded and skipped. */
export type EventHandlers<Schema> = {
  [C in Case]?: (trx: Transaction<Schema>, value: ValueOf<C>, event: Event) => Promise<void>;
};

async function runHandler<Schema>(trx: Transaction<Schema>, event: Event, handlers: EventHandlers<Schema>) {
  const payload = event.payload;
  if (!payload) return;
  const handler = handlers[payload.$case] as
    | ((trx: Transaction<Schema>, value: unknown, event: Event) => Promise<void>)
    | undefined;
  await handler?.(trx, payload.value, event);
}

/** Applies one event unless it was applied before; true when it was applied now. */
export async function applyEventOnce<Schema>(
  db: Kysely<Schema>,
  event: Event,
  handlers: EventHandlers<Schema>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await sql`
      INSERT INTO processed_events (event_id) VALUES (${event.id}::uuid) ON CONFLICT DO NOTHING RETURNING event_id
    `.execute(trx);
    if (claimed.rows.length === 0) return false;
    await runHandler(trx, event, handlers);
    return true;
  });
}

/**
 * Applies a delivered batch in order, in one transaction: the ids of the events not applied
 * before are claimed with one statement, then each of those is applied. One commit per
 * batch instead of one per event: a commit (its round trips and its WAL flush) cost more
 * than many events' own work, and a relay behind by thousands of events (a burst of follows
 * or mentions) drained at a commit's pace. Any failure rolls the whole batch back; the
 * relay delivers it again, and events are still applied exactly once. Returns the events
 * applied now.
 */
export async function applyBatchOnce<Schema>(
  db: Kysely<Schema>,
  events: readonly Event[],
  handlers: EventHandlers<Schema>,
): Promise<Event[]> {
  if (events.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const ids = events.map((event) => event.id);
    const { rows } = await sql<{ event_id: string }>`
      INSERT INTO processed_events (event_id) SELECT unnest(${ids}::uuid[])
      ON CONFLICT DO NOTHING RETURNING event_id
    `.execute(trx);
    const claimed = new Set(rows.map((row) => row.event_id));
    const applied: Event[] = [];
    for (const event of events) {
      // A repeated id within the batch is applied once, at its first place.
      if (!claimed.delete(event.id.toLowerCase())) continue;
      await applyTraced(trx, event, handlers);
      applied.push(event);
    }
    return applied;
  });
}

/**
 * Applies the event in a span of the trace that caused it (the delivery call is linked), so
 * one trace shows a request and everything it set off in other services.
 */
function applyTraced<Schema>(trx: Transaction<Schema>, event: Event, handlers: EventHandlers<Schema>) {
  const delivery = trace.getActiveSpan()?.spanContext();
  return inSpanContinuing(
    `event apply ${event.payload?.$case ?? 'unknown'}`,
    [event.traceparent],
    {
      kind: SpanKind.CONSUMER,
      links: delivery ? [{ context: delivery }] : [],
      attributes: { 'messaging.message.id': event.id, 'wren.event.producer': event.producer },
    },
    () => runHandler(trx, event, handlers),
  );
}

export function createEventSink<Schema>(
  db: Kysely<Schema>,
  handlers: EventHandlers<Schema>,
  log: Logger,
  registry?: Registry,
): EventSinkServiceImplementation<WrenCallContextExt> {
  const consumed = registry
    ? new Counter({
        name: 'wren_events_consumed_total',
        help: 'Events applied by this consumer (first deliveries only), by type.',
        labelNames: ['event_type'],
        registers: [registry],
      })
    : undefined;
  return {
    async deliver(request, context) {
      const applied = await applyBatchOnce(db, request.events, handlers);
      for (const event of applied) {
        consumed?.inc({ event_type: event.payload?.$case ?? 'unknown' });
        context.log.debug({ eventId: event.id, type: event.payload?.$case }, 'event applied');
      }
      log.debug({ count: request.events.length }, 'event batch delivered');
      return {};
    },
  };
}
