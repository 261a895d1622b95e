/** /v1/posts: write, read, edit and delete posts, and read their edit history. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Visibility } from '@wren/contracts/post/v1/post.js';
import { Type } from 'typebox';
import { callOptions, createCallOptions } from '../clients.js';
import { nextCursor, pageLimit } from '../paging.js';
import { presentPost, presentRevision } from '../present.js';
import { IdempotencyHeaders } from '../schemas/idempotency.js';
import { IdParams } from '../schemas/ids.js';
import { PageQuery } from '../schemas/pages.js';
import { CreatePostBody, HistoryPageSchema, PostSchema, UpdatePostBody } from '../schemas/posts.js';
import { problemResponses } from '../schemas/problem.js';
import type { RouteOptions } from './auth.js';

const TO_VISIBILITY = { public: Visibility.VISIBILITY_PUBLIC, followers: Visibility.VISIBILITY_FOLLOWERS } as const;

// The service names the post `post_id`; the client knows it as the `id` in the path.
const postIdIsId = { post_id: 'id' } as const;

export const NOT_VISIBLE =
  'A post that does not exist, was deleted, or is followers-only and you do not follow its author, is a 404.';

export const postsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  app.post(
    '/v1/posts',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['posts'],
        summary: 'Write a post',
        description: '`@username` mentions of existing users and `#hashtags` are picked out of the text.',
        headers: IdempotencyHeaders,
        body: CreatePostBody,
        response: { 201: PostSchema, ...problemResponses(401, 409, 422) },
      },
    },
    async (request, reply) => {
      const { text, visibility = 'public' } = request.body;
      const { post } = await clients.posts.createPost(
        { text, visibility: TO_VISIBILITY[visibility] },
        createCallOptions(request),
      );
      return reply.code(201).send(presentPost(post, true));
    },
  );

  app.get(
    '/v1/posts/:id',
    {
      config: { auth: 'optional', fieldAliases: postIdIsId },
      schema: {
        tags: ['posts'],
        summary: 'A post',
        description: `With an access token, \`viewer\` says whether you liked and shared it. ${NOT_VISIBLE}`,
        params: IdParams,
        response: { 200: PostSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { post } = await clients.posts.getPost({ postId: request.params.id }, callOptions(request));
      return presentPost(post, request.caller !== null);
    },
  );

  app.patch(
    '/v1/posts/:id',
    {
      config: { auth: 'required', fieldAliases: postIdIsId },
      schema: {
        tags: ['posts'],
        summary: 'Edit your post',
        description: 'Only its author may. The replaced text goes into the history; `editedAt` is set.',
        params: IdParams,
        body: UpdatePostBody,
        response: { 200: PostSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { post } = await clients.posts.updatePost(
        { postId: request.params.id, text: request.body.text },
        callOptions(request),
      );
      return presentPost(post, true);
    },
  );

  app.delete(
    '/v1/posts/:id',
    {
      config: { auth: 'required', fieldAliases: postIdIsId },
      schema: {
        tags: ['posts'],
        summary: 'Delete your post',
        description: 'Only its author may. Its comments, likes and shares go with it.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await clients.posts.deletePost({ postId: request.params.id }, callOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/posts/:id/history',
    {
      config: { auth: 'optional', fieldAliases: postIdIsId },
      schema: {
        tags: ['posts'],
        summary: "A post's earlier versions",
        description: `The most recently replaced version first. Keyset-paged. ${NOT_VISIBLE}`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: HistoryPageSchema, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const limit = pageLimit(request.query);
      const { revisions, nextPageToken } = await clients.posts.listPostHistory(
        { postId: request.params.id, pageSize: limit, pageToken: request.query.cursor ?? '' },
        callOptions(request),
      );
      return {
        items: revisions.map(presentRevision),
        nextCursor: nextCursor(request, reply, config.publicUrl, { nextPageToken, limit }),
      };
    },
  );
};
