import { createIdempotencyKeysTable } from '@wren/platform';
import { type Kysely, sql } from 'kysely';

/**
 * Everything on posts: counters kept on the row (a timeline page shows them for every item,
 * so they are read far more often than written), history, mentions, hashtags, comments,
 * likes, shares, and `feed_items` — one row per post or share, keyed by the post's or
 * share's UUIDv7 so that `ORDER BY id DESC` is newest first. Everything that hangs off a
 * post cascades from it, so deleting a post is one statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE posts
      ADD COLUMN like_count integer NOT NULL DEFAULT 0 CHECK (like_count >= 0),
      ADD COLUMN comment_count integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
      ADD COLUMN share_count integer NOT NULL DEFAULT 0 CHECK (share_count >= 0)
  `.execute(db);

  await sql`
    CREATE TABLE post_revisions (
      id uuid PRIMARY KEY,
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      text text NOT NULL,
      written_at timestamptz NOT NULL,
      replaced_at timestamptz NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX post_revisions_by_post ON post_revisions (post_id, id DESC)`.execute(db);

  // position keeps "in order of appearance"; user_id is looked up in authors at read time,
  // so a renamed user shows their current name.
  await sql`
    CREATE TABLE post_mentions (
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      position smallint NOT NULL,
      PRIMARY KEY (post_id, user_id)
    )
  `.execute(db);
  await sql`CREATE INDEX post_mentions_by_user ON post_mentions (user_id)`.execute(db);

  await sql`
    CREATE TABLE post_hashtags (
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      tag text NOT NULL,
      position smallint NOT NULL,
      PRIMARY KEY (post_id, tag)
    )
  `.execute(db);
  await sql`CREATE INDEX post_hashtags_by_tag ON post_hashtags (tag, post_id DESC)`.execute(db);

  await sql`
    CREATE TABLE comments (
      id uuid PRIMARY KEY,
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      parent_id uuid REFERENCES comments (id) ON DELETE CASCADE,
      author_id uuid NOT NULL,
      text text NOT NULL,
      created_at timestamptz NOT NULL,
      edited_at timestamptz,
      like_count integer NOT NULL DEFAULT 0 CHECK (like_count >= 0),
      reply_count integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0)
    )
  `.execute(db);
  await sql`CREATE INDEX comments_by_post ON comments (post_id, id)`.execute(db);
  await sql`CREATE INDEX comments_by_parent ON comments (parent_id, id) WHERE parent_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX comments_by_author ON comments (author_id)`.execute(db);

  await sql`
    CREATE TABLE post_likes (
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (post_id, user_id)
    )
  `.execute(db);
  await sql`CREATE INDEX post_likes_newest ON post_likes (post_id, created_at DESC, user_id DESC)`.execute(db);
  await sql`CREATE INDEX post_likes_by_user ON post_likes (user_id)`.execute(db);

  await sql`
    CREATE TABLE comment_likes (
      comment_id uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (comment_id, user_id)
    )
  `.execute(db);
  await sql`CREATE INDEX comment_likes_by_user ON comment_likes (user_id)`.execute(db);

  await sql`
    CREATE TABLE shares (
      id uuid PRIMARY KEY,
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      quote text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL,
      CONSTRAINT shares_one_per_user UNIQUE (user_id, post_id)
    )
  `.execute(db);
  await sql`CREATE INDEX shares_by_post ON shares (post_id)`.execute(db);

  // The timeline table: what a page reads before it loads the posts themselves. The
  // INCLUDE columns let a page be found with an index-only scan per followed actor.
  await sql`
    CREATE TABLE feed_items (
      id uuid PRIMARY KEY,
      actor_id uuid NOT NULL,
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      share_id uuid REFERENCES shares (id) ON DELETE CASCADE,
      visibility text NOT NULL CHECK (visibility IN ('public', 'followers'))
    )
  `.execute(db);
  await sql`
    CREATE INDEX feed_items_by_actor ON feed_items (actor_id, id DESC) INCLUDE (post_id, share_id, visibility)
  `.execute(db);
  await sql`CREATE INDEX feed_items_by_post ON feed_items (post_id)`.execute(db);

  await createIdempotencyKeysTable(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE idempotency_keys, feed_items, shares, comment_likes, post_likes, comments,
      post_hashtags, post_mentions, post_revisions
  `.execute(db);
  await sql`ALTER TABLE posts DROP COLUMN like_count, DROP COLUMN comment_count, DROP COLUMN share_count`.execute(db);
}
