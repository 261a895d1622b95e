/**
 * The OpenAPI 3.1 document, generated from the route schemas (so it cannot drift from what
 * is validated), served at /openapi.json, and a browsable page at /docs.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { BEARER_SCHEME } from './auth.js';
import type { GatewayConfig } from './config.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';

const DESCRIPTION = [
  'The public HTTP API of Wren. JSON in and out; timestamps are ISO-8601.',
  'Errors are RFC 9457 `application/problem+json` documents with a stable `type`, the',
  '`requestId` (also in the `X-Request-Id` header), and `errors[]` naming each bad field.',
  'Lists are keyset-paged: `?cursor=&limit=` (1–100), `nextCursor`, and `Link: rel="next"`.',
  'POSTs that create something accept an `Idempotency-Key` header, which makes retrying them safe.',
].join(' ');

/** Registers the generator; routes registered after this call are in the document. */
export async function registerOpenApi(app: FastifyInstance, config: GatewayConfig): Promise<void> {
  await app.register(swagger, {
    // Shared schemas appear under components.schemas by their $id ("Problem"), not "def-0".
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Wren API', version: '1.0.0', description: DESCRIPTION, license: { name: 'MIT' } },
      servers: config.publicUrl ? [{ url: config.publicUrl }] : [],
      tags: [
        { name: 'auth', description: 'Accounts, sign-in, tokens and sessions' },
        { name: 'me', description: 'Your own account' },
        { name: 'users', description: 'Profiles and follows' },
        { name: 'posts', description: 'Posts and their edit history' },
        { name: 'comments', description: 'Comments on posts, replies and comment likes' },
        { name: 'likes', description: 'Likes of posts' },
        { name: 'shares', description: 'Shares of posts, with optional quote text' },
        { name: 'timelines', description: 'Home and user timelines' },
        { name: 'notifications', description: 'Your notifications, read markers and notification preferences' },
        { name: 'push', description: 'Where your pushes go: Web Push subscriptions and Expo push tokens' },
        { name: 'operations', description: 'Probes for orchestrators' },
      ],
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'The `accessToken` from register, login or refresh.',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // No calls to validator.swagger.io: the page only loads its own assets (CSP 'self').
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { auth: 'none' } }, async () => app.swagger());
}
