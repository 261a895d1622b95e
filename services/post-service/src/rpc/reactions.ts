import {
  ReactionServiceDefinition,
  type ReactionServiceImplementation,
  SharePostRequest,
  SharePostResponse,
} from '@wren/contracts/post/v1/reaction_service.js';
import { FieldErrors, methodPath, pageSize, paginate, requireUser, type WrenCallContextExt } from '@wren/platform';
import type { PostServiceContext } from '../context.js';
import { listPostLikes } from '../db/queries/likes.js';
import { ensureAuthor } from '../domain/authors.js';
import { decodeLikeCursor, likeCursorValues } from '../domain/like-cursor.js';
import { setCommentLike, setPostLike } from '../domain/likes.js';
import { idField, requireId, textField } from '../domain/requests.js';
import { sharePost, unsharePost } from '../domain/shares.js';
import { viewerOf, visiblePost } from '../domain/visibility.js';
import { idempotently } from './idempotent.js';
import { toCounts, toLike, toShare } from './mappers.js';

const SHARE_POST = methodPath(ReactionServiceDefinition, 'sharePost');

export function reactionsRpc(ctx: PostServiceContext): ReactionServiceImplementation<WrenCallContextExt> {
  const { db } = ctx.database;
  // Likers are listed with their names, so a liker must be a known author.
  const liker = async (context: WrenCallContextExt) => {
    requireUser(context);
    return ensureAuthor(ctx, context);
  };

  return {
    async likePost(request, context) {
      const postId = requireId('post_id', request.postId);
      return { counts: toCounts(await setPostLike(db, await liker(context), postId, true)) };
    },

    async unlikePost(request, context) {
      const postId = requireId('post_id', request.postId);
      const { userId } = requireUser(context);
      return { counts: toCounts(await setPostLike(db, userId, postId, false)) };
    },

    async listPostLikes(request, context) {
      const postId = requireId('post_id', request.postId);
      const limit = pageSize(request.pageSize);
      const after = decodeLikeCursor(request.pageToken);
      await visiblePost(db, postId, viewerOf(context));
      const rows = await listPostLikes(db, postId, limit + 1, after);
      const { items, nextPageToken } = paginate(rows, limit, likeCursorValues);
      return { likes: items.map(toLike), nextPageToken };
    },

    async likeComment(request, context) {
      const commentId = requireId('comment_id', request.commentId);
      return { likeCount: await setCommentLike(db, await liker(context), commentId, true) };
    },

    async unlikeComment(request, context) {
      const commentId = requireId('comment_id', request.commentId);
      const { userId } = requireUser(context);
      return { likeCount: await setCommentLike(db, userId, commentId, false) };
    },

    async sharePost(request, context) {
      requireUser(context);
      const errors = new FieldErrors();
      const postId = idField(errors, 'post_id', request.postId);
      const quote = textField(errors, 'quote', request.quote, { optional: true });
      errors.throwIfAny();
      const userId = await ensureAuthor(ctx, context);
      return idempotently(
        ctx,
        { context, userId, method: SHARE_POST, request },
        { request: SharePostRequest, response: SharePostResponse },
        async (trx) => {
          const { share, post } = await sharePost(trx, userId, postId, quote);
          return SharePostResponse.fromPartial({ share: toShare(share, post) });
        },
      );
    },

    async unsharePost(request, context) {
      const postId = requireId('post_id', request.postId);
      const { userId } = requireUser(context);
      return { counts: toCounts(await unsharePost(db, userId, postId)) };
    },
  };
}
