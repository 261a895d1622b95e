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
}

/**
 * The viewer's own items and those of everyone they follow — all visible to them, so no
 * visibility filter. Fan-out on read against the follow replica, so a follow or unfollow
 * shows at once. Each followed actor contributes at most `limit` rows through an
 * index-only scan of (actor_id, id DESC) (the LATERAL ... LIMIT), so a page costs
 * O(followees × limit) index entries at worst, never a scan of everyone's history.
 */
export async function homeFeedPage(
  db: Kysely<PostDatabase>,
  viewerId: string,
  limit: number,
  afterId: string | undefined,
): Promise<FeedRow[]> {
  const after = afterId ? sql`AND f.id < ${afterId}` : sql``;
  const result = await sql<FeedRow>`
    SELECT page.id, page.post_id, page.share_id
    FROM (
      SELECT followee_id AS actor_id FROM follows WHERE follower_id = ${viewerId}
      UNION ALL
      SELECT ${viewerId}::uuid
    ) AS actors
    CROSS JOIN LATERAL (
      SELECT f.id, f.post_id, f.share_id
      FROM feed_items f
      WHERE f.actor_id = actors.actor_id ${after}
      ORDER BY f.id DESC
      LIMIT ${limit}
    ) AS page
    ORDER BY page.id DESC
    LIMIT ${limit}
  `.execute(db);
  return result.rows;
}

/** One actor's items; followers-only ones only when the viewer may see them. */
export async function actorFeedPage(
  db: Kysely<PostDatabase>,
  actorId: string,
  includeFollowersOnly: boolean,
  limit: number,
  afterId: string | undefined,
): Promise<FeedRow[]> {
  let query = db.selectFrom('feed_items').select(['id', 'post_id', 'share_id']).where('actor_id', '=', actorId);
  if (!includeFollowersOnly) query = query.where('visibility', '=', 'public');
  if (afterId) query = query.where('id', '<', afterId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
