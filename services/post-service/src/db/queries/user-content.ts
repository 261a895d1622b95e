/**
 * The statements that remove one user's content. Counters on other people's posts and
 * comments move with each removed like or share; comment counts are recounted, since
 * removing a comment also removes every reply under it, whoever wrote them.
 */
import { type Kysely, sql } from 'kysely';
import type { PostDatabase } from '../schema.js';

/**
 * Locks, in id order, every post of someone else the user's likes, shares and comments
 * touch: the order single-post writes also start with, so no deadlock.
 */
export async function lockPostsTouchedBy(db: Kysely<PostDatabase>, userId: string): Promise<void> {
  await sql`
    SELECT id FROM posts WHERE id IN (
      SELECT post_id FROM post_likes WHERE user_id = ${userId}
      UNION SELECT post_id FROM shares WHERE user_id = ${userId}
      UNION SELECT post_id FROM comments WHERE author_id = ${userId}
    )
    ORDER BY id FOR UPDATE
  `.execute(db);
}

export async function deletePostsOf(db: Kysely<PostDatabase>, userId: string): Promise<number> {
  const result = await db.deleteFrom('posts').where('author_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deletePostLikesOf(db: Kysely<PostDatabase>, userId: string): Promise<number> {
  const result = await sql`
    WITH gone AS (DELETE FROM post_likes WHERE user_id = ${userId} RETURNING post_id)
    UPDATE posts p SET like_count = p.like_count - 1 FROM gone WHERE p.id = gone.post_id
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export async function deleteCommentLikesOf(db: Kysely<PostDatabase>, userId: string): Promise<number> {
  const result = await sql`
    WITH gone AS (DELETE FROM comment_likes WHERE user_id = ${userId} RETURNING comment_id)
    UPDATE comments c SET like_count = c.like_count - 1 FROM gone WHERE c.id = gone.comment_id
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Shares go with their feed items (cascade). */
export async function deleteSharesOf(db: Kysely<PostDatabase>, userId: string): Promise<number> {
  const result = await sql`
    WITH gone AS (DELETE FROM shares WHERE user_id = ${userId} RETURNING post_id)
    UPDATE posts p SET share_count = p.share_count - 1 FROM gone WHERE p.id = gone.post_id
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Deletes the user's comments (replies under them go too) and recounts what they were under. */
export async function deleteCommentsOf(db: Kysely<PostDatabase>, userId: string): Promise<number> {
  const touched = await db
    .selectFrom('comments')
    .select(['post_id', 'parent_id'])
    .where('author_id', '=', userId)
    .execute();
  if (touched.length === 0) return 0;
  const result = await db.deleteFrom('comments').where('author_id', '=', userId).executeTakeFirst();
  const postIds = [...new Set(touched.map((row) => row.post_id))];
  const parentIds = [...new Set(touched.flatMap((row) => (row.parent_id ? [row.parent_id] : [])))];
  await sql`
    UPDATE posts p SET comment_count = (SELECT count(*) FROM comments c WHERE c.post_id = p.id)
    WHERE p.id = ANY(${postIds}::uuid[])
  `.execute(db);
  if (parentIds.length > 0) {
    await sql`
      UPDATE comments c SET reply_count = (SELECT count(*) FROM comments r WHERE r.parent_id = c.id)
      WHERE c.id = ANY(${parentIds}::uuid[])
    `.execute(db);
  }
  return Number(result.numDeletedRows);
}

/** The user disappears from the mention lists of other people's posts (index rows and views). */
export async function deleteMentionsOf(db: Kysely<PostDatabase>, userId: string): Promise<void> {
  await sql`
    UPDATE posts p
       SET mentions = COALESCE((
             SELECT jsonb_agg(m.value ORDER BY m.ordinality) FROM jsonb_array_elements(p.mentions) WITH ORDINALITY m
              WHERE m.value ->> 'user_id' <> ${userId}), '[]')
     WHERE p.id IN (SELECT post_id FROM post_mentions WHERE user_id = ${userId})
  `.execute(db);
  await db.deleteFrom('post_mentions').where('user_id', '=', userId).execute();
}
