/** Likes and shares of posts: /v1/posts/:id/like, /likes and /share. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callOptions, createCallOptions } from '../clients.js';
import { nextCursor, pageLimit } from '../paging.js';
import { presentCounts, presentLike, presentShare } from '../present.js';
import { IdempotencyHeaders } from '../schemas/idempotency.js';
import { IdParams } from '../schemas/ids.js';
import { PageQuery } from '../schemas/pages.js';
import { CountsResponseSchema, LikePageSchema } from '../schemas/posts.js';
import { problemResponses } from '../schemas/problem.js';
import { ShareBody, ShareSchema } from '../schemas/timelines.js';
import type { RouteOptions } from './auth.js';
import { NOT_VISIBLE } from './posts.js';

const postIdIsId = { post_id: 'id' } as const;

export const reactionsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  for (const [method, summary, description, change] of [
    ['PUT', 'Like a post', 'Idempotent: liking again changes nothing.', clients.reactions.likePost],
    [
      'DELETE',
      'Unlike a post',
      'Idempotent: unliking a post you do not like changes nothing.',
      clients.reactions.unlikePost,
    ],
  ] as const) {
    app.route({
      method,
      url: '/v1/posts/:id/like',
      config: { auth: 'required', fieldAliases: postIdIsId },
      schema: {
        tags: ['likes'],
        summary,
        description: `${description} Answers the post's counts. ${NOT_VISIBLE}`,
        params: IdParams,
        response: { 200: CountsResponseSchema, ...problemResponses(401, 404) },
      },
      handler: async (request) => {
        const { counts } = await change({ postId: request.params.id }, callOptions(request));
        return { counts: presentCounts(counts) };
      },
    });
  }

  app.get(
    '/v1/posts/:id/likes',
    {
      config: { auth: 'optional', fieldAliases: postIdIsId },
      schema: {
        tags: ['likes'],
        summary: 'Who liked a post',
        description: `Newest like first; keyset-paged. ${NOT_VISIBLE}`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: LikePageSchema, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const limit = pageLimit(request.query);
      const { likes, nextPageToken } = await clients.reactions.listPostLikes(
        { postId: request.params.id, pageSize: limit, pageToken: request.query.cursor ?? '' },
        callOptions(request),
      );
      return {
        items: likes.map(presentLike),
        nextCursor: nextCursor(request, reply, config.publicUrl, { nextPageToken, limit }),
      };
    },
  );

  app.post(
    '/v1/posts/:id/share',
    {
      config: { auth: 'required', fieldAliases: postIdIsId },
      // The body is optional: a plain share needs none.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['shares'],
        summary: 'Share a post',
        description: [
          'Optionally with `quote` text. Your followers see the share, with the post, in their home timelines.',
          'A followers-only post of someone else cannot be shared: 400 with `code` `POST_NOT_SHAREABLE`.',
          'Sharing a post you already share answers the existing share unchanged, also with 201.',
          NOT_VISIBLE,
        ].join(' '),
        headers: IdempotencyHeaders,
        body: ShareBody,
        params: IdParams,
        response: { 201: ShareSchema, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { share } = await clients.reactions.sharePost(
        { postId: request.params.id, quote: request.body.quote ?? '' },
        createCallOptions(request),
      );
      return reply.code(201).send(presentShare(share, true));
    },
  );

  app.delete(
    '/v1/posts/:id/share',
    {
      config: { auth: 'required', fieldAliases: postIdIsId },
      schema: {
        tags: ['shares'],
        summary: 'Stop sharing a post',
        description: "Idempotent. Answers the post's counts.",
        params: IdParams,
        response: { 200: CountsResponseSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { counts } = await clients.reactions.unsharePost({ postId: request.params.id }, callOptions(request));
      return { counts: presentCounts(counts) };
    },
  );
};
