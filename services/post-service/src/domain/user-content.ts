/**
 * Account deletion on post-service's side: everything the user wrote or did goes, and the
 * counters of other people's posts and comments are corrected. Runs inside the caller's
 * transaction (the `user.deleted` event handler), so the event is recorded as processed
 * together with the effect.
 */
import { deleteIdempotencyKeysOf } from '@wren/platform';
import type { Transaction } from 'kysely';
import {
  deleteCommentLikesOf,
  deleteCommentsOf,
  deleteMentionsOf,
  deletePostLikesOf,
  deletePostsOf,
  deleteSharesOf,
  lockPostsTouchedBy,
} from '../db/queries/user-content.js';
import type { PostDatabase } from '../db/schema.js';

export interface DeletedContent {
  posts: number;
  comments: number;
  likes: number;
  commentLikes: number;
  shares: number;
}

export async function deleteAllContentOf(trx: Transaction<PostDatabase>, userId: string): Promise<DeletedContent> {
  // Their own posts first: whatever hangs off them goes by cascade and needs no recount.
  const posts = await deletePostsOf(trx, userId);
  await lockPostsTouchedBy(trx, userId);
  const likes = await deletePostLikesOf(trx, userId);
  const commentLikes = await deleteCommentLikesOf(trx, userId);
  const shares = await deleteSharesOf(trx, userId);
  const comments = await deleteCommentsOf(trx, userId);
  await deleteMentionsOf(trx, userId);
  // Stored create responses hold the user's texts.
  await deleteIdempotencyKeysOf<PostDatabase>(trx, userId);
  return { posts, comments, likes, commentLikes, shares };
}
