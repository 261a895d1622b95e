/**
 * Tables of the transactional outbox, created by each producing service's migration
 * (producer side) or consuming service's migration (consumer side).
 *
 * Rows are read in (txid, id) order and only below the oldest transaction still running
 * (`pg_snapshot_xmin`): an id is taken when a row is inserted but becomes visible only at
 * commit, so reading by id alone could pass over a row whose transaction commits late.
 *
 * Migrations call these functions, and applied migrations must not change: never edit
 * them. A later schema change is a new function called by a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function createOutboxTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      event_id uuid NOT NULL UNIQUE,
      event_type text NOT NULL,
      -- The encoded wren.events.v1.Event.
      event bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX outbox_delivery_order ON outbox (txid, id)`.execute(db);
  // One row per consumer: how far the relay has delivered to it.
  await sql`
    CREATE TABLE outbox_cursors (
      subscriber text PRIMARY KEY,
      last_txid xid8 NOT NULL DEFAULT '0',
      last_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
}

export async function createProcessedEventsTable(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE processed_events (
      event_id uuid PRIMARY KEY,
      processed_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
}
