import { type Kysely, sql } from 'kysely';

/**
 * Push: where a user's pushes go (Web Push subscriptions, Expo tokens) and the durable
 * delivery queue, one row per (notification, channel, destination), written in the event's
 * transaction so that nothing is lost and nothing is doubled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One endpoint is one browser profile: it belongs to one user at a time.
  await sql`
    CREATE TABLE web_push_subscriptions (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL,
      endpoint text NOT NULL UNIQUE,
      p256dh text NOT NULL,
      auth text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX web_push_subscriptions_by_user ON web_push_subscriptions (user_id)`.execute(db);
  await sql`
    CREATE TABLE expo_push_tokens (
      token text PRIMARY KEY,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX expo_push_tokens_by_user ON expo_push_tokens (user_id)`.execute(db);

  // status: pending (to send, maybe after next_attempt_at), ticketed (Expo accepted it, its
  // receipt is asked for at next_attempt_at), delivered, failed, gone (destination removed).
  await sql`
    CREATE TABLE push_deliveries (
      id uuid PRIMARY KEY,
      notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
      recipient_id uuid NOT NULL,
      channel text NOT NULL CHECK (channel IN ('web_push', 'expo_push')),
      destination text NOT NULL,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'ticketed', 'delivered', 'failed', 'gone')),
      attempts integer NOT NULL DEFAULT 0,
      receipt_checks integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      ticket_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      UNIQUE (notification_id, channel, destination)
    )
  `.execute(db);
  // The workers' claim reads only rows still to do, in due order.
  await sql`
    CREATE INDEX push_deliveries_due ON push_deliveries (channel, status, next_attempt_at)
      WHERE status IN ('pending', 'ticketed')
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE push_deliveries, expo_push_tokens, web_push_subscriptions`.execute(db);
}
