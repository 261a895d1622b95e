/** Timelines: your home timeline, and a user's posts and shares. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callOptions } from '../clients.js';
import { nextCursor, pageLimit } from '../paging.js';
import { presentTimelineItem } from '../present.js';
import { PageQuery } from '../schemas/pages.js';
import { problemResponses } from '../schemas/problem.js';
import { UsernameParams } from '../schemas/profile.js';
import { TimelinePageSchema } from '../schemas/timelines.js';
import type { RouteOptions } from './auth.js';

const ITEMS = [
  'Each item is `{type: "post", post}` or `{type: "share", share}`; a share carries the post it shares.',
  'Keyset-paged: follow `nextCursor`, or the `Link: rel="next"` header.',
].join(' ');

export const timelinesRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  app.get(
    '/v1/timelines/home',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['timelines'],
        summary: 'Your home timeline, newest first',
        description: `Your own posts and shares, and those of the users you follow. ${ITEMS}`,
        querystring: PageQuery,
        response: { 200: TimelinePageSchema, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      const limit = pageLimit(request.query);
      const { items, nextPageToken } = await clients.posts.getHomeTimeline(
        { pageSize: limit, pageToken: request.query.cursor ?? '' },
        callOptions(request),
      );
      return {
        items: items.map((item) => presentTimelineItem(item, true)),
        nextCursor: nextCursor(request, reply, config.publicUrl, { nextPageToken, limit }),
      };
    },
  );

  app.get(
    '/v1/users/:username/posts',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['timelines'],
        summary: "A user's posts and shares, newest first",
        description: `Followers-only posts appear to the user's followers and to the user. ${ITEMS}`,
        params: UsernameParams,
        querystring: PageQuery,
        response: { 200: TimelinePageSchema, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const limit = pageLimit(request.query);
      const { items, nextPageToken } = await clients.posts.listUserPosts(
        { username: request.params.username, pageSize: limit, pageToken: request.query.cursor ?? '' },
        callOptions(request),
      );
      const withViewer = request.caller !== null;
      return {
        items: items.map((item) => presentTimelineItem(item, withViewer)),
        nextCursor: nextCursor(request, reply, config.publicUrl, { nextPageToken, limit }),
      };
    },
  );
};
