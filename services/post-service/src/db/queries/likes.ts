import type { Kysely } from 'kysely';
import type { PostDatabase } from '../schema.js';

/** Where a page of likers starts: after this (liked_at, user id) pair. */
export interface LikePageKey {
  likedAt: Date;
  userId: string;
}

export interface LikeRow {
  user_id: string;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
  liked_at: Date;
}

/** True when the like is new; a repeated like inserts nothing. */
export async function insertPostLike(db: Kysely<PostDatabase>, postId: string, userId: string, at: Date) {
  const result = await db
    .insertInto('post_likes')
    .values({ post_id: postId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function deletePostLike(db: Kysely<PostDatabase>, postId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('post_likes')
    .where('post_id', '=', postId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function insertCommentLike(db: Kysely<PostDatabase>, commentId: string, userId: string, at: Date) {
  const result = await db
    .insertInto('comment_likes')
    .values({ comment_id: commentId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function deleteCommentLike(db: Kysely<PostDatabase>, commentId: string, userId: string) {
  const result = await db
    .deleteFrom('comment_likes')
    .where('comment_id', '=', commentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Newest like first; (created_at, user_id) is unique per post, so the order is total. */
export async function listPostLikes(
  db: Kysely<PostDatabase>,
  postId: string,
  limit: number,
  after: LikePageKey | undefined,
): Promise<LikeRow[]> {
  let query = db
    .selectFrom('post_likes as l')
    .leftJoin('authors as a', 'a.id', 'l.user_id')
    .select(['l.user_id', 'a.username', 'a.display_name', 'a.avatar_url', 'l.created_at as liked_at'])
    .where('l.post_id', '=', postId);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('l.created_at', 'l.user_id'), '<', eb.tuple(after.likedAt, after.userId)),
    );
  }
  return query.orderBy('l.created_at', 'desc').orderBy('l.user_id', 'desc').limit(limit).execute();
}
