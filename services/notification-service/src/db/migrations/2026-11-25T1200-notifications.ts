import { type Kysely, sql } from 'kysely';

// The notification-service grows its schema in later migrations; this is where it starts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      recipient_id uuid NOT NULL,
      type text NOT NULL,
      actor_id uuid NOT NULL,
      post_id uuid,
      comment_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    )
  `.execute(db);
  await sql`CREATE INDEX notifications_by_recipient ON notifications (recipient_id, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE notifications`.execute(db);
}
