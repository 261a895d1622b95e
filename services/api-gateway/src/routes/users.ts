/** /v1/users/:username: profiles, follow and unfollow, follower and following lists. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { callOptions } from '../clients.js';
import { nextCursor, pageLimit } from '../paging.js';
import { presentFollowEntry, presentProfile } from '../present.js';
import { FollowPageSchema, PageQuery } from '../schemas/pages.js';
import { problemResponses } from '../schemas/problem.js';
import { ProfileSchema, UsernameParams } from '../schemas/profile.js';
import type { RouteOptions } from './auth.js';

export const usersRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  app.get(
    '/v1/users/:username',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['users'],
        summary: "A user's profile",
        description: 'With an access token, `followedByViewer` and `followsViewer` are filled in.',
        params: UsernameParams,
        response: { 200: ProfileSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { profile } = await clients.profiles.getProfile(request.params, callOptions(request));
      return presentProfile(profile, request.caller !== null);
    },
  );

  app.put(
    '/v1/users/:username/follow',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['users'],
        summary: 'Follow a user',
        description: 'Idempotent. Answers the followed profile with its new counts.',
        params: UsernameParams,
        response: { 200: ProfileSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { profile } = await clients.follows.follow(request.params, callOptions(request));
      return presentProfile(profile, true);
    },
  );

  app.delete(
    '/v1/users/:username/follow',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['users'],
        summary: 'Unfollow a user',
        description: 'Idempotent. Answers the unfollowed profile with its new counts.',
        params: UsernameParams,
        response: { 200: ProfileSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const { profile } = await clients.follows.unfollow(request.params, callOptions(request));
      return presentProfile(profile, true);
    },
  );

  type PageRequest = FastifyRequest<{ Params: Static<typeof UsernameParams>; Querystring: Static<typeof PageQuery> }>;

  const listPage =
    (list: typeof clients.follows.listFollowers) => async (request: PageRequest, reply: FastifyReply) => {
      const limit = pageLimit(request.query);
      const { entries, nextPageToken } = await list(
        { username: request.params.username, pageSize: limit, pageToken: request.query.cursor ?? '' },
        callOptions(request),
      );
      return {
        items: entries.map(presentFollowEntry),
        nextCursor: nextCursor(request, reply, config.publicUrl, { nextPageToken, limit }),
      };
    };

  for (const [path, summary, list] of [
    ['followers', 'Who follows this user, newest first', clients.follows.listFollowers],
    ['following', 'Whom this user follows, newest first', clients.follows.listFollowing],
  ] as const) {
    app.get(
      `/v1/users/:username/${path}`,
      {
        config: { auth: 'optional' },
        schema: {
          tags: ['users'],
          summary,
          description: 'Keyset-paged: follow `nextCursor`, or the `Link: rel="next"` header.',
          params: UsernameParams,
          querystring: PageQuery,
          response: { 200: FollowPageSchema, ...problemResponses(401, 404) },
        },
      },
      listPage(list),
    );
  }
};
