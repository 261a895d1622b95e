/**
 * Who may see what. A followers-only post is visible to its author and their followers; to
 * anyone else it does not exist, so every refusal here is the NOT_FOUND of a missing post.
 */
import { type Caller, notFound } from '@wren/platform';
import type { Kysely } from 'kysely';
import { followersAmong, isFollowing } from '../db/queries/authors.js';
import { findPostRef, type PostRef } from '../db/queries/posts.js';
import type { PostDatabase } from '../db/schema.js';

export const postNotFound = () => notFound('post not found', 'POST_NOT_FOUND');
export const commentNotFound = () => notFound('comment not found', 'COMMENT_NOT_FOUND');

/** The viewing user on any method, public ones included; undefined for anonymous calls. */
export function viewerOf(context: { caller: Caller | undefined }): string | undefined {
  return context.caller?.kind === 'user' ? context.caller.userId : undefined;
}

/** Whether the viewer sees the followers-only items of `authorId`. */
export async function seesFollowersOnlyOf(
  db: Kysely<PostDatabase>,
  viewerId: string | undefined,
  authorId: string,
): Promise<boolean> {
  if (viewerId === undefined) return false;
  return viewerId === authorId || isFollowing(db, viewerId, authorId);
}

export async function canSee(db: Kysely<PostDatabase>, post: PostRef, viewerId: string | undefined) {
  return post.visibility === 'public' || seesFollowersOnlyOf(db, viewerId, post.author_id);
}

/**
 * Those of `userIds` who may read the post, in their order: the same rule as canSee, for
 * many users at once. Notifications about a post go only to them — a notification shows
 * the post's id and text, so it must never reach someone the post is hidden from.
 */
export async function readersAmong(db: Kysely<PostDatabase>, post: PostRef, userIds: string[]): Promise<string[]> {
  if (post.visibility === 'public') return userIds;
  const followers = new Set(await followersAmong(db, post.author_id, userIds));
  return userIds.filter((id) => id === post.author_id || followers.has(id));
}

/** The post if the viewer may see it, else NOT_FOUND (as for a deleted or unknown post). */
export async function visiblePost(
  db: Kysely<PostDatabase>,
  postId: string,
  viewerId: string | undefined,
): Promise<PostRef> {
  const post = await findPostRef(db, postId);
  if (!post || !(await canSee(db, post, viewerId))) throw postNotFound();
  return post;
}
