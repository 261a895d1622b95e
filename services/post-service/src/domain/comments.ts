/**
 * Comments and replies. Every change that moves a post's comment count locks the post row
 * first, then any comment rows, so that concurrent comment writes on one post serialise
 * in one order and cannot deadlock.
 */
import { invalidArgument, permissionDenied, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import {
  adjustCommentCounter,
  type CommentRef,
  type CommentView,
  deleteCommentTree,
  findCommentRef,
  insertComment,
  listCommentViews,
  lockCommentRef,
  updateCommentText,
} from '../db/queries/comments.js';
import { adjustPostCounter, lockPost } from '../db/queries/posts.js';
import type { PostDatabase } from '../db/schema.js';
import { postEvents, publish } from './events.js';
import { mentionedUserIds } from './posts.js';
import { canSee, commentNotFound, postNotFound, readersAmong, visiblePost } from './visibility.js';

const notAReplyTarget = () =>
  invalidArgument({ field: 'parent_id', description: 'must be a comment of the same post' });

export async function commentView(db: Kysely<PostDatabase>, comment: CommentRef, viewerId: string) {
  const [view] = await listCommentViews(db, { postId: comment.post_id, ids: [comment.id] }, viewerId, 1, undefined);
  if (!view) throw commentNotFound();
  return view;
}

export async function createComment(
  trx: Kysely<PostDatabase>,
  userId: string,
  input: { postId: string; parentId: string | undefined; text: string },
): Promise<CommentView> {
  const post = await lockPost(trx, input.postId);
  if (!post || !(await canSee(trx, post, userId))) throw postNotFound();
  // One answer whether the parent is missing or on another post: no probing of ids.
  if (input.parentId && !(await adjustCommentCounter(trx, input.parentId, 'reply_count', 1, post.id))) {
    throw notAReplyTarget();
  }
  await adjustPostCounter(trx, post.id, 'comment_count', 1);
  const parent = input.parentId ? await findCommentRef(trx, input.parentId) : undefined;
  // Only those who may read the post hear of a comment on it (a reply's parent author may
  // have unfollowed a followers-only author since).
  const [parentAuthorId = ''] = parent ? await readersAmong(trx, post, [parent.author_id]) : [];
  const mentioned = await readersAmong(trx, post, await mentionedUserIds(trx, input.text));
  const id = uuidv7();
  await insertComment(trx, {
    id,
    postId: post.id,
    parentId: input.parentId ?? null,
    authorId: userId,
    text: input.text,
    createdAt: new Date(),
  });
  await publish(
    trx,
    postEvents.commentCreated({
      commentId: id,
      postId: post.id,
      postAuthorId: post.author_id,
      authorId: userId,
      parentId: parent?.id ?? '',
      parentAuthorId,
      mentionedUserIds: mentioned,
      text: input.text,
    }),
  );
  return commentView(trx, { id, post_id: post.id, parent_id: input.parentId ?? null, author_id: userId }, userId);
}

/** The comment, if the viewer can see the post it is on; else NOT_FOUND. */
export async function visibleComment(db: Kysely<PostDatabase>, commentId: string, viewerId: string | undefined) {
  const comment = await findCommentRef(db, commentId);
  if (!comment) throw commentNotFound();
  const post = await visiblePost(db, comment.post_id, viewerId).catch(() => {
    throw commentNotFound();
  });
  return { comment, post };
}

export async function updateComment(db: Kysely<PostDatabase>, userId: string, commentId: string, text: string) {
  const { comment } = await visibleComment(db, commentId, userId);
  if (comment.author_id !== userId) {
    throw permissionDenied('only the author may edit a comment', 'NOT_COMMENT_AUTHOR');
  }
  await updateCommentText(db, commentId, text, new Date());
  return commentView(db, comment, userId);
}

/** By the comment's author or the post's author; the replies go with it. */
export async function deleteComment(db: Kysely<PostDatabase>, userId: string, commentId: string): Promise<void> {
  const { comment, post } = await visibleComment(db, commentId, userId);
  if (comment.author_id !== userId && post.author_id !== userId) {
    throw permissionDenied('only the comment or post author may delete a comment', 'NOT_COMMENT_AUTHOR');
  }
  await db.transaction().execute(async (trx) => {
    await lockPost(trx, comment.post_id);
    // Read again under the lock: a concurrent delete (of it or an ancestor) may have won.
    const locked = await lockCommentRef(trx, commentId);
    if (!locked) throw commentNotFound();
    const removed = await deleteCommentTree(trx, commentId);
    await adjustPostCounter(trx, locked.post_id, 'comment_count', -removed.length);
    await publish(trx, ...removed.map((id) => postEvents.commentDeleted(id, locked.post_id)));
    if (locked.parent_id) await adjustCommentCounter(trx, locked.parent_id, 'reply_count', -1);
  });
}

export async function listComments(
  db: Kysely<PostDatabase>,
  viewerId: string | undefined,
  request: { postId: string; parentId: string | undefined; limit: number; afterId: string | undefined },
): Promise<CommentView[]> {
  await visiblePost(db, request.postId, viewerId);
  if (request.parentId) {
    const parent = await findCommentRef(db, request.parentId);
    if (!parent || parent.post_id !== request.postId) throw commentNotFound();
  }
  const filter = { postId: request.postId, ...(request.parentId ? { parentId: request.parentId } : {}) };
  return listCommentViews(db, filter, viewerId, request.limit, request.afterId);
}
