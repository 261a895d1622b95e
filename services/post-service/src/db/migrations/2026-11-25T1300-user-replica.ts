import { type Kysely, sql } from 'kysely';

/**
 * post-service's own copy of what it needs from user-service, fed by user-service's events
 * (docs/architecture.md, Events): who users are (to show authors and resolve @mentions) and who follows
 * whom (for home timelines and followers-only visibility). Reads never call user-service.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE authors (
      id uuid PRIMARY KEY,
      username text NOT NULL UNIQUE,
      display_name text NOT NULL DEFAULT '',
      avatar_url text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE follows (
      follower_id uuid NOT NULL,
      followee_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (follower_id, followee_id)
    )
  `.execute(db);
  await sql`CREATE INDEX follows_by_followee ON follows (followee_id, follower_id)`.execute(db);

  // Consumer side of the outbox: an event id is recorded in the transaction that applies it.
  await sql`
    CREATE TABLE processed_events (
      event_id uuid PRIMARY KEY,
      processed_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE processed_events, follows, authors`.execute(db);
}
