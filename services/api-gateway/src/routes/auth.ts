/** /v1/auth: sign-up, sign-in, token refresh, sessions, password change. */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClientInfo } from '@wren/contracts/user/v1/auth_service.js';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { callOptions, type GatewayClients } from '../clients.js';
import type { GatewayConfig } from '../config.js';
import { presentAccount, presentSession, presentTokens } from '../present.js';
import { credentialRateLimit } from '../rate-limit.js';
import { ChangePasswordBody, LoginBody, RegisterBody } from '../schemas/account.js';
import { problemResponses } from '../schemas/problem.js';
import { SessionListSchema, SessionParams } from '../schemas/sessions.js';
import { RefreshBody, RefreshedSchema, SignedInSchema } from '../schemas/tokens.js';

export interface RouteOptions {
  clients: GatewayClients;
  config: GatewayConfig;
}

const NoContent = Type.Null({ description: 'Done; no body.' });

// Shown to the user in their session list; a header can be long, the list need not be.
const clientInfo = (request: FastifyRequest): ClientInfo => ({
  userAgent: (request.headers['user-agent'] ?? '').slice(0, 256),
  ip: request.ip,
});

export const authRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  const credentials = credentialRateLimit(config.rateLimit);

  app.post(
    '/v1/auth/register',
    {
      config: { auth: 'none', rateLimit: credentials },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and sign in',
        body: RegisterBody,
        response: { 201: SignedInSchema, ...problemResponses(409) },
      },
    },
    async (request, reply) => {
      const { account, tokens } = await clients.auth.register(
        { ...request.body, client: clientInfo(request) },
        callOptions(request),
      );
      return reply.code(201).send({ account: presentAccount(account), tokens: presentTokens(tokens) });
    },
  );

  app.post(
    '/v1/auth/login',
    {
      config: { auth: 'none', rateLimit: credentials },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a username or email and a password',
        body: LoginBody,
        response: { 200: SignedInSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { account, tokens } = await clients.auth.login(
        { ...request.body, client: clientInfo(request) },
        callOptions(request),
      );
      return { account: presentAccount(account), tokens: presentTokens(tokens) };
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair',
        description: 'The refresh token is single use. Presenting a spent one again ends its whole session.',
        body: RefreshBody,
        response: { 200: RefreshedSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { tokens } = await clients.auth.refresh(
        { refreshToken: request.body.refreshToken, client: clientInfo(request) },
        callOptions(request),
      );
      return { tokens: presentTokens(tokens) };
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['auth'],
        summary: 'End the session of this access token',
        response: { 204: NoContent, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await clients.auth.logout({}, callOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/auth/sessions',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['auth'],
        summary: 'List your active sessions',
        response: { 200: SessionListSchema, ...problemResponses(401) },
      },
    },
    async (request) => {
      const { sessions } = await clients.auth.listSessions({}, callOptions(request));
      return { items: sessions.map(presentSession) };
    },
  );

  app.delete(
    '/v1/auth/sessions/:id',
    {
      config: { auth: 'required', fieldAliases: { session_id: 'id' } },
      schema: {
        tags: ['auth'],
        summary: 'End one of your sessions',
        params: SessionParams,
        response: { 204: NoContent, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await clients.auth.revokeSession({ sessionId: request.params.id }, callOptions(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/auth/password',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['auth'],
        summary: 'Change your password',
        description: 'Ends every other session of the account.',
        body: ChangePasswordBody,
        response: { 204: NoContent, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await clients.auth.changePassword(request.body, callOptions(request));
      return reply.code(204).send(null);
    },
  );
};
