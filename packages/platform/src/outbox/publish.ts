/** The producer side: events go into the outbox inside the transaction that made them true. */
import type { Event, UserProfile } from '@wren/contracts/events/v1/events.js';
import { Event as EventMessage } from '@wren/contracts/events/v1/events.js';
import { type Kysely, sql } from 'kysely';
import { uuidv7 } from '../ids.js';
import { activeTraceparent } from '../telemetry/trace-context.js';

export const OUTBOX_CHANNEL = 'wren_outbox';

/** An event to publish: its payload, nothing else (id, time and producer are filled in). */
export type EventPayload = NonNullable<Event['payload']>;

/** An outbox row, ready to insert: the event's id, its type and its encoding. */
export interface OutboxRow {
  id: string;
  type: string;
  bytes: Buffer;
}

/**
 * The outbox rows of `payloads`: each becomes an Event with a fresh id, the time, the
 * producer, the active trace (the request that made the change; its trace continues where
 * the event is applied) and the producer's profiles of the actors it names.
 */
export function outboxRows(
  producer: string,
  payloads: EventPayload[],
  now: Date = new Date(),
  actors: UserProfile[] = [],
): OutboxRow[] {
  const traceparent = activeTraceparent();
  return payloads.map((payload) => {
    const event: Event = { id: uuidv7(now.getTime()), occurredAt: now, producer, payload, traceparent, actors };
    return { id: event.id, type: payload.$case, bytes: Buffer.from(EventMessage.encode(event).finish()) };
  });
}

/**
 * Writes the events to the outbox with `trx`, which must be the transaction of the change
 * they describe: both commit, or neither. The NOTIFY, too, is only sent on commit. (A
 * change made by one statement can insert `outboxRows` and NOTIFY `OUTBOX_CHANNEL` itself.)
 */
export async function publishEvents<Schema>(
  trx: Kysely<Schema>,
  producer: string,
  payloads: EventPayload[],
  now: Date = new Date(),
  /** The producer's profiles of the actors the events name (see `Event.actors`). */
  actors: UserProfile[] = [],
): Promise<void> {
  if (payloads.length === 0) return;
  const rows = outboxRows(producer, payloads, now, actors);
  const values = sql.join(rows.map((row) => sql`(${row.id}::uuid, ${row.type}, ${row.bytes})`));
  await sql`INSERT INTO outbox (event_id, event_type, event) VALUES ${values}`.execute(trx);
  await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
}
