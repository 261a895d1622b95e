/**
 * The consumer side: an EventSinkService whose every event is applied at most once. The
 * event id goes into `processed_events` in the same transaction as the event's effect, so
 * a redelivered event (the relay delivers at least once) changes nothing.
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
    const payload = event.payload;
    if (payload) {
      const handler = handlers[payload.$case] as
        | ((trx: Transaction<Schema>, value: unknown, event: Event) => Promise<void>)
        | undefined;
      await handler?.(trx, payload.value, event);
    }
    return true;
  });
}

/**
 * Applies the event in a span of the trace that caused it (the delivery call is linked), so
 * one trace shows a request and everything it set off in other services.
 */
async function applyTraced<Schema>(db: Kysely<Schema>, event: Event, handlers: EventHandlers<Schema>) {
  const delivery = trace.getActiveSpan()?.spanContext();
  return inSpanContinuing(
    `event apply ${event.payload?.$case ?? 'unknown'}`,
    [event.traceparent],
    {
      kind: SpanKind.CONSUMER,
      links: delivery ? [{ context: delivery }] : [],
      attributes: { 'messaging.message.id': event.id, 'wren.event.producer': event.producer },
    },
    () => applyEventOnce(db, event, handlers),
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
      for (const event of request.events) {
        // In order, one transaction each: a failure stops the batch, and the relay's retry
        // skips what was already applied.
        const applied = await applyTraced(db, event, handlers);
        if (applied) {
          consumed?.inc({ event_type: event.payload?.$case ?? 'unknown' });
          context.log.debug({ eventId: event.id, type: event.payload?.$case }, 'event applied');
        }
      }
      log.debug({ count: request.events.length }, 'event batch delivered');
      return {};
    },
  };
}
