/**
 * Likes on posts and comments. Liking twice or unliking what is not liked changes nothing:
 * the counter moves only when the like row was really inserted or deleted, in the same
 * transaction.
 */
import type { Kysely } from 'kysely';
import { adjustCommentCounter, findCommentText } from '../db/queries/comments.js';
import { deleteCommentLike, deletePostLike, insertCommentLike, insertPostLike } from '../db/queries/likes.js';
import { adjustPostCounter, type CountsRow, findPostText, postCounts } from '../db/queries/posts.js';
import type { PostDatabase } from '../db/schema.js';
import { visibleComment } from './comments.js';
import { postEvents, publish } from './events.js';
import { postNotFound, readersAmong, visiblePost } from './visibility.js';

export async function setPostLike(
  db: Kysely<PostDatabase>,
  userId: string,
  postId: string,
  liked: boolean,
): Promise<CountsRow> {
  const post = await visiblePost(db, postId, userId);
  const counts = await db.transaction().execute(async (trx) => {
    const changed = liked
      ? await insertPostLike(trx, postId, userId, new Date())
      : await deletePostLike(trx, postId, userId);
    if (!changed) return postCounts(trx, postId);
    if (liked) {
      const text = await findPostText(trx, postId);
      if (text !== undefined) await publish(trx, postEvents.liked(postId, post.author_id, userId, text));
    }
    return adjustPostCounter(trx, postId, 'like_count', liked ? 1 : -1);
  });
  // The post was deleted between the check and the write.
  if (!counts) throw postNotFound();
  return counts;
}

export async function setCommentLike(
  db: Kysely<PostDatabase>,
  userId: string,
  commentId: string,
  liked: boolean,
): Promise<number> {
  const { comment, post } = await visibleComment(db, commentId, userId);
  return db.transaction().execute(async (trx) => {
    const changed = liked
      ? await insertCommentLike(trx, commentId, userId, new Date())
      : await deleteCommentLike(trx, commentId, userId);
    // The comment's author hears of it only while they may still read the post.
    if (changed && liked && (await readersAmong(trx, post, [comment.author_id])).length > 0) {
      const text = await findCommentText(trx, commentId);
      if (text !== undefined) {
        await publish(trx, postEvents.commentLiked(commentId, comment.post_id, comment.author_id, userId, text));
      }
    }
    const counts = await adjustCommentCounter(trx, commentId, 'like_count', changed ? (liked ? 1 : -1) : 0);
    if (!counts) throw postNotFound();
    return counts.like_count;
  });
}
