/** Comments: /v1/posts/:id/comments to write and list them, /v1/comments/:id for one. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callOptions, createCallOptions } from '../clients.js';
import { nextCursor, pageLimit } from '../paging.js';
import { presentComment } from '../present.js';
import {
  CommentListQuery,
  CommentPageSchema,
  CommentSchema,
  CreateCommentBody,
  LikeCountSchema,
  UpdateCommentBody,
} from '../schemas/comments.js';
import { IdempotencyHeaders } from '../schemas/idempotency.js';
import { IdParams } from '../schemas/ids.js';
import { problemResponses } from '../schemas/problem.js';
import type { RouteOptions } from './auth.js';
import { NOT_VISIBLE } from './posts.js';

// The service names the ids in the path `post_id` and `comment_id`; the client, `id`.
const postIdIsId = { post_id: 'id' } as const;
const commentIdIsId = { comment_id: 'id' } as const;

export const commentsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  app.post(
    '/v1/posts/:id/comments',
    {
      config: { auth: 'required', fieldAliases: postIdIsId },
      schema: {
        tags: ['comments'],
        summary: 'Comment on a post, or reply to a comment',
        description: `With \`parentId\`, a reply to that comment (of the same post). ${NOT_VISIBLE}`,
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CreateCommentBody,
        response: { 201: CommentSchema, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { comment } = await clients.comments.createComment(
        { postId: request.params.id, text: request.body.text, parentId: request.body.parentId ?? '' },
        createCallOptions(request),
      );
      return reply.code(201).send(presentComment(comment, true));
    },
  );

  app.get(
    '/v1/posts/:id/comments',
    {
      config: { auth: 'optional', fieldAliases: postIdIsId },
      schema: {
        tags: ['comments'],
        summary: "A post's comments, oldest first",
        description: [
          'Without `parentId`, every comment of the post (replies carry their `parentId`); with it, the',
          `replies to that comment. Keyset-paged. ${NOT_VISIBLE}`,
        ].join(' '),
        params: IdParams,
        querystring: CommentListQuery,
        response: { 200: CommentPageSchema, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const limit = pageLimit(request.query);
      const { comments, nextPageToken } = await clients.comments.listComments(
        {
          postId: request.params.id,
          parentId: request.query.parentId ?? '',
          pageSize: limit,
          pageToken: request.query.cursor ?? '',
        },
        callOptions(request),
      );
      const withViewer = request.caller !== null;
      return {
        items: comments.map((comment) => presentComment(comment, withViewer)),
        nextCursor: nextCursor(request, reply, config.publicUrl, { nextPageToken, limit }),
      };
    },
  );

  app.patch(
    '/v1/comments/:id',
    {
      config: { auth: 'required', fieldAliases: commentIdIsId },
      schema: {
        tags: ['comments'],
        summary: 'Edit your comment',
        description: 'Only its author may.',
        params: IdParams,
        body: UpdateCommentBody,
        response: { 200: CommentSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { comment } = await clients.comments.updateComment(
        { commentId: request.params.id, text: request.body.text },
        callOptions(request),
      );
      return presentComment(comment, true);
    },
  );

  app.delete(
    '/v1/comments/:id',
    {
      config: { auth: 'required', fieldAliases: commentIdIsId },
      schema: {
        tags: ['comments'],
        summary: 'Delete a comment',
        description: 'Its author may, and so may the author of the post it is on. Its replies go with it.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await clients.comments.deleteComment({ commentId: request.params.id }, callOptions(request));
      return reply.code(204).send(null);
    },
  );

  for (const [method, summary, change] of [
    ['PUT', 'Like a comment', clients.reactions.likeComment],
    ['DELETE', 'Unlike a comment', clients.reactions.unlikeComment],
  ] as const) {
    app.route({
      method,
      url: '/v1/comments/:id/like',
      config: { auth: 'required', fieldAliases: commentIdIsId },
      schema: {
        tags: ['comments'],
        summary,
        description: "Idempotent. Answers the comment's like count.",
        params: IdParams,
        response: { 200: LikeCountSchema, ...problemResponses(401, 404) },
      },
      handler: async (request) => {
        const { likeCount } = await change({ commentId: request.params.id }, callOptions(request));
        return { likeCount };
      },
    });
  }
};
