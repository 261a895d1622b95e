import { type Kysely, sql } from 'kysely';

/**
 * The trace context of the event that queued a push, so the delivery attempt (made later, by
 * a worker) continues the trace of the request that caused the notification.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE push_deliveries ADD COLUMN traceparent text NOT NULL DEFAULT ''`.execute(db);
}
