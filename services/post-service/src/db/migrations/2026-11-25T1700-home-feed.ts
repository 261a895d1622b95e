import { type Kysely, sql } from 'kysely';

/**
 * Materialised home timelines (fan-out on write). Reading a home page by fan-out on read
 * costs one index scan per followed account (≈ 40 for a median socfb-Reed98 user, 1,000+ on
 * ego-Facebook); the benchmark showed PostgreSQL alone topping out near 1,000 pages/s that
 * way on this machine. Here each post or share is copied, when it is made, into the home
 * feed of its author and of each follower, so a page is one index range scan of its owner's
 * rows. A follow copies the followee's recent items in; an unfollow takes them out; deleted
 * posts and shares take their rows with them (cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE home_feed (
      owner_id uuid NOT NULL,
      id uuid NOT NULL,
      actor_id uuid NOT NULL,
      post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      share_id uuid REFERENCES shares (id) ON DELETE CASCADE,
      PRIMARY KEY (owner_id, id) INCLUDE (post_id, share_id, actor_id)
    )
  `.execute(db);
  // For the cascades: deleting a post or share finds its copies without a scan.
  await sql`CREATE INDEX home_feed_by_post ON home_feed (post_id)`.execute(db);
  await sql`CREATE INDEX home_feed_by_share ON home_feed (share_id) WHERE share_id IS NOT NULL`.execute(db);
  // What is there already: each actor's items into their own feed and their followers'.
  await sql`
    INSERT INTO home_feed (owner_id, id, actor_id, post_id, share_id)
    SELECT owners.owner_id, f.id, f.actor_id, f.post_id, f.share_id
      FROM (
        SELECT follower_id AS owner_id, followee_id AS actor_id FROM follows
        UNION
        SELECT DISTINCT actor_id, actor_id FROM feed_items
      ) AS owners
      JOIN feed_items f ON f.actor_id = owners.actor_id
    ON CONFLICT DO NOTHING
  `.execute(db);
}
