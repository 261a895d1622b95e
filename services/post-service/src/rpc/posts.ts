import {
  CreatePostRequest,
  CreatePostResponse,
  PostServiceDefinition,
  type PostServiceImplementation,
} from '@wren/contracts/post/v1/post_service.js';
import { FieldErrors, methodPath, pageSize, paginate, requireUser, type WrenCallContextExt } from '@wren/platform';
import type { PostServiceContext } from '../context.js';
import { insertComposedPost } from '../db/queries/compose.js';
import { listRevisions } from '../db/queries/posts.js';
import { authorAndMentioned, ensureAuthor, ensureMentionedAuthors } from '../domain/authors.js';
import { planPost, postView, removePost, updatePost, validateNewPost } from '../domain/posts.js';
import { decodeIdCursor, idField, requireId, textField } from '../domain/requests.js';
import { viewerOf, visiblePost } from '../domain/visibility.js';
import { idempotentlyInOneStatement } from './idempotent.js';
import { toPost, toRevision } from './mappers.js';

const CREATE_POST = methodPath(PostServiceDefinition, 'createPost');

export function postsRpc(
  ctx: PostServiceContext,
): Pick<
  PostServiceImplementation<WrenCallContextExt>,
  'createPost' | 'getPost' | 'updatePost' | 'deletePost' | 'listPostHistory'
> {
  const { db } = ctx.database;

  return {
    async createPost(request, context) {
      requireUser(context);
      const post = validateNewPost(request);
      const parties = await authorAndMentioned(ctx, context, post.text);
      const { view, composed } = await planPost(db, parties, post);
      return idempotentlyInOneStatement(
        ctx,
        { context, userId: parties.author.id, method: CREATE_POST, request },
        { request: CreatePostRequest, response: CreatePostResponse },
        CreatePostResponse.fromPartial({ post: toPost(view) }),
        (claim) => insertComposedPost(db, composed, claim),
      );
    },

    async getPost(request, context) {
      const postId = requireId('post_id', request.postId);
      const viewerId = viewerOf(context);
      await visiblePost(db, postId, viewerId);
      return { post: toPost(await postView(db, postId, viewerId)) };
    },

    async updatePost(request, context) {
      requireUser(context);
      const errors = new FieldErrors();
      const postId = idField(errors, 'post_id', request.postId);
      const text = textField(errors, 'text', request.text);
      errors.throwIfAny();
      const userId = await ensureAuthor(ctx, context);
      await ensureMentionedAuthors(ctx, context, text);
      return { post: toPost(await updatePost(db, userId, postId, text)) };
    },

    async deletePost(request, context) {
      const { userId } = requireUser(context);
      await removePost(db, userId, requireId('post_id', request.postId));
      return {};
    },

    async listPostHistory(request, context) {
      const postId = requireId('post_id', request.postId);
      const limit = pageSize(request.pageSize);
      const after = decodeIdCursor(request.pageToken);
      await visiblePost(db, postId, viewerOf(context));
      const rows = await listRevisions(db, postId, limit + 1, after);
      const { items, nextPageToken } = paginate(rows, limit, (row) => [row.id]);
      return { revisions: items.map(toRevision), nextPageToken };
    },
  };
}
