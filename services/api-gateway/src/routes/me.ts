/** /v1/me: the caller's own account. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callOptions } from '../clients.js';
import { presentAccount } from '../present.js';
import { AccountSchema, DeleteMeBody, UpdateMeBody } from '../schemas/account.js';
import { problemResponses } from '../schemas/problem.js';
import type { RouteOptions } from './auth.js';

export const meRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients }) => {
  app.get(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        summary: 'Your account',
        response: { 200: AccountSchema, ...problemResponses(401) },
      },
    },
    async (request) => presentAccount((await clients.profiles.getMe({}, callOptions(request))).account),
  );

  app.patch(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        summary: 'Change your display name, bio or avatar',
        body: UpdateMeBody,
        response: { 200: AccountSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { displayName, bio, avatarUrl } = request.body;
      const { account } = await clients.profiles.updateMe(
        // proto3 `optional`: an absent field stays as it is, "" clears it.
        { displayName, bio, avatarUrl: avatarUrl === null ? '' : avatarUrl },
        callOptions(request),
      );
      return presentAccount(account);
    },
  );

  app.delete(
    '/v1/me',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['me'],
        summary: 'Delete your account',
        description: 'Needs your password, so that a stolen access token alone cannot delete the account.',
        body: DeleteMeBody,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await clients.auth.deleteAccount({ password: request.body.password }, callOptions(request));
      return reply.code(204).send(null);
    },
  );
};
