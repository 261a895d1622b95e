import { createProcessedEventsTable } from '@wren/platform';
import { type Kysely, sql } from 'kysely';

/**
 * What notifications need beyond the first table: the target's excerpt, a soft delete (so a
 * deleted notification still blocks a duplicate), one row per (recipient, type, actor,
 * target), a group key for "Ana and 3 others liked your post", the replica of actors,
 * per-user preferences, and the consumer side of the outbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE notifications
      ADD COLUMN excerpt text NOT NULL DEFAULT '',
      ADD COLUMN deleted_at timestamptz,
      ADD CONSTRAINT notifications_type_known
        CHECK (type IN ('follow', 'like', 'comment', 'reply', 'share', 'mention')),
      -- Likes and shares of one target form one group; every other notification is its own.
      ADD COLUMN group_key text NOT NULL GENERATED ALWAYS AS (
        CASE WHEN type IN ('like', 'share')
          THEN type || ':' || coalesce(comment_id, post_id)::text
          ELSE id::text
        END
      ) STORED
  `.execute(db);
  // Unlike + like again, unfollow + follow again, or a redelivered event: the row exists, so
  // nothing new is inserted. NULL targets (a follow) compare equal through coalesce.
  await sql`
    CREATE UNIQUE INDEX notifications_once ON notifications (
      recipient_id, type, actor_id,
      coalesce(post_id, '00000000-0000-0000-0000-000000000000'::uuid),
      coalesce(comment_id, '00000000-0000-0000-0000-000000000000'::uuid)
    )
  `.execute(db);
  // GetUnreadCount and unread_only lists read only this small index.
  await sql`
    CREATE INDEX notifications_unread ON notifications (recipient_id, id DESC)
      WHERE read_at IS NULL AND deleted_at IS NULL
  `.execute(db);
  // The members of a group, newest first: the group heads, counts and latest actors.
  await sql`
    CREATE INDEX notifications_by_group ON notifications (recipient_id, group_key, id DESC)
      WHERE deleted_at IS NULL
  `.execute(db);
  // Deleted posts, comments and accounts take their notifications with them.
  await sql`CREATE INDEX notifications_by_post ON notifications (post_id) WHERE post_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX notifications_by_comment ON notifications (comment_id) WHERE comment_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX notifications_by_actor ON notifications (actor_id)`.execute(db);

  // Who acted, as user-service's events describe them; reads never call user-service.
  await sql`
    CREATE TABLE actors (
      id uuid PRIMARY KEY,
      username text NOT NULL DEFAULT '',
      display_name text NOT NULL DEFAULT '',
      avatar_url text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  // Deleted accounts: post-service's events are not ordered with user-service's, so a like
  // by (or for) an account deleted a moment ago may still arrive; it must not notify.
  await sql`
    CREATE TABLE deleted_users (
      id uuid PRIMARY KEY,
      deleted_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  // Only the cells turned off are stored: everything is on until a user says otherwise.
  await sql`
    CREATE TABLE disabled_preferences (
      user_id uuid NOT NULL,
      type text NOT NULL CHECK (type IN ('follow', 'like', 'comment', 'reply', 'share', 'mention')),
      channel text NOT NULL CHECK (channel IN ('in_app', 'web_push', 'expo_push')),
      PRIMARY KEY (user_id, type, channel)
    )
  `.execute(db);
  await createProcessedEventsTable(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE processed_events, disabled_preferences, deleted_users, actors`.execute(db);
  await sql`
    DROP INDEX notifications_once, notifications_unread, notifications_by_group, notifications_by_post,
      notifications_by_comment, notifications_by_actor
  `.execute(db);
  await sql`
    ALTER TABLE notifications
      DROP COLUMN group_key, DROP COLUMN deleted_at, DROP COLUMN excerpt,
      DROP CONSTRAINT notifications_type_known
  `.execute(db);
}
