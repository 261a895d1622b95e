/**
 * Timeline pages. A feed item is a post or a share, keyed by that post's or share's
 * UUIDv7, so newest first is `ORDER BY id DESC` and the cursor is the last id.
 */
import { type Kysely, sql } from 'kysely';
import type { PostDatabase, VisibilityValue } from '../schema.js';

export interface FeedRow {
  id: string;
  post_id: string;
  share_id: string | null;
}

/** How many of a followee's latest items a new follow copies into the follower's home feed. */
export const FOLLOW_BACKFILL_ITEMS = 200;

/**
 * Adds a post or share to its actor's feed and, in the same transaction, to the home feed
 * of the actor and of every follower the replica knows (fan-out on write).
 */
export async function insertFeedItem(
  db: Kysely<PostDatabase>,
  item: { id: string; actorId: string; postId: string; shareId: string | null; visibility: VisibilityValue },
): Promise<void> {
  await db
    .insertInto('feed_items')
    .values({
      id: item.id,
      actor_id: item.actorId,
      post_id: item.postId,
      share_id: item.shareId,
      visibility: item.visibility,
    })
    .execute();
  await sql`
    INSERT INTO home_feed (owner_id, id, actor_id, post_id, share_id)
    SELECT owner_id, ${item.id}::uuid, ${item.actorId}::uuid, ${item.postId}::uuid, ${item.shareId}::uuid
      FROM (
        SELECT follower_id AS owner_id FROM follows WHERE followee_id = ${item.actorId}
        UNION ALL
        SELECT ${item.actorId}::uuid
      ) AS owners
  `.execute(db);
}

/** A new follow: the followee's latest items appear in the follower's home feed. */
export async function copyIntoHomeFeed(db: Kysely<PostDatabase>, ownerId: string, actorId: string): Promise<void> {
  await sql`
    INSERT INTO home_feed (owner_id, id, actor_id, post_id, share_id)
    SELECT ${ownerId}::uuid, f.id, f.actor_id, f.post_id, f.share_id
      FROM feed_items f
     WHERE f.actor_id = ${actorId}
     ORDER BY f.id DESC
     LIMIT ${FOLLOW_BACKFILL_ITEMS}
    ON CONFLICT DO NOTHING
  `.execute(db);
}

/** An unfollow: the former followee's items leave the follower's home feed. */
export async function removeFromHomeFeed(db: Kysely<PostDatabase>, ownerId: string, actorId: string): Promise<void> {
  await db.deleteFrom('home_feed').where('owner_id', '=', ownerId).where('actor_id', '=', actorId).execute();
}

/** A deleted account: its own home feed goes (its items leave others' by cascade). */
export async function deleteHomeFeed(db: Kysely<PostDatabase>, ownerId: string): Promise<void> {
  await db.deleteFrom('home_feed').where('owner_id', '=', ownerId).execute();
}
