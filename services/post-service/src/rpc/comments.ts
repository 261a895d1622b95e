import {
  CommentServiceDefinition,
  type CommentServiceImplementation,
  CreateCommentRequest,
  CreateCommentResponse,
} from '@wren/contracts/post/v1/comment_service.js';
import { FieldErrors, methodPath, pageSize, paginate, requireUser, type WrenCallContextExt } from '@wren/platform';
import type { PostServiceContext } from '../context.js';
import { ensureAuthor, ensureMentionedAuthors } from '../domain/authors.js';
import { createComment, deleteComment, listComments, updateComment } from '../domain/comments.js';
import { decodeIdCursor, idField, optionalId, optionalIdField, requireId, textField } from '../domain/requests.js';
import { viewerOf } from '../domain/visibility.js';
import { idempotently } from './idempotent.js';
import { toComment } from './mappers.js';

const CREATE_COMMENT = methodPath(CommentServiceDefinition, 'createComment');

export function commentsRpc(ctx: PostServiceContext): CommentServiceImplementation<WrenCallContextExt> {
  const { db } = ctx.database;

  return {
    async createComment(request, context) {
      requireUser(context);
      const errors = new FieldErrors();
      const postId = idField(errors, 'post_id', request.postId);
      const parentId = optionalIdField(errors, 'parent_id', request.parentId);
      const text = textField(errors, 'text', request.text);
      errors.throwIfAny();
      const userId = await ensureAuthor(ctx, context);
      await ensureMentionedAuthors(ctx, context, text);
      return idempotently(
        ctx,
        { context, userId, method: CREATE_COMMENT, request },
        { request: CreateCommentRequest, response: CreateCommentResponse },
        async (trx) =>
          CreateCommentResponse.fromPartial({
            comment: toComment(await createComment(trx, userId, { postId, parentId, text })),
          }),
      );
    },

    async listComments(request, context) {
      const postId = requireId('post_id', request.postId);
      const parentId = optionalId('parent_id', request.parentId);
      const limit = pageSize(request.pageSize);
      const afterId = decodeIdCursor(request.pageToken);
      const rows = await listComments(db, viewerOf(context), { postId, parentId, limit: limit + 1, afterId });
      const { items, nextPageToken } = paginate(rows, limit, (row) => [row.id]);
      return { comments: items.map(toComment), nextPageToken };
    },

    async updateComment(request, context) {
      requireUser(context);
      const errors = new FieldErrors();
      const commentId = idField(errors, 'comment_id', request.commentId);
      const text = textField(errors, 'text', request.text);
      errors.throwIfAny();
      const userId = await ensureAuthor(ctx, context);
      return { comment: toComment(await updateComment(db, userId, commentId, text)) };
    },

    async deleteComment(request, context) {
      const { userId } = requireUser(context);
      await deleteComment(db, userId, requireId('comment_id', request.commentId));
      return {};
    },
  };
}
