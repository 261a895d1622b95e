import { type Kysely, sql } from 'kysely';

/**
 * Materialised home timelines (fan-out on write). Reading a home page by fan-out on read
 * costs one index scan per followed account (≈ 40 for a median socfb-Reed98 user, 1,000+ on
 * ego-Facebook); the benchmark showed PostgreSQL alone topping out near 1,000 pages/s that
 * way on this machine. Here each post or share is copied, when it is made, into the home
 * feed of its author and of each follower, so a page is one index range scan of its owner's
 * rows. A follow copies the followee's recent items in; an unfollow takes them out; deleted
 * posts and shares take their rows with them.
 *
 * No foreign keys on the copies: a compose inserts one row per follower, and a per-row
 * foreign-key check was over a third of that insert's cost. The deletions still happen in
 * the database, whatever deletes the post or share: feed_items rows go by cascade from
 * posts and shares, and a trigger on feed_items removes their copies.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE home_feed (
      owner_id uuid NOT NULL,
      id uuid NOT NULL,
      actor_id uuid NOT NULL,
      post_id uuid NOT NULL,
      share_id uuid,
      PRIMARY KEY (owner_id, id) INCLUDE (post_id, share_id, actor_id)
    )
  `.execute(db);
  // A feed item's copies, found without a scan when it is deleted.
  await sql`CREATE INDEX home_feed_by_item ON home_feed (id)`.execute(db);
  await sql`
    CREATE FUNCTION delete_home_feed_copies() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM home_feed WHERE id = OLD.id;
      RETURN OLD;
    END
    $$
  `.execute(db);
  await sql`
    CREATE TRIGGER feed_items_delete_copies AFTER DELETE ON feed_items
      FOR EACH ROW EXECUTE FUNCTION delete_home_feed_copies()
  `.execute(db);
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
