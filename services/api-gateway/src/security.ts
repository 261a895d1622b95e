/** Security headers (helmet) and CORS, both from configuration. */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

// What a browser app on another origin may read from our responses.
export const EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Link',
  'X-Request-Id',
];

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // Helmet's default would make browsers fetch the docs page's assets over https,
        // which breaks /docs on a plain-http development gateway; behind TLS every asset
        // URL is relative anyway.
        upgradeInsecureRequests: null,
      },
    },
  });
}

/** CORS_ORIGINS: empty → no CORS at all; a list → those origins; `*` → any origin. */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: EXPOSED_HEADERS,
    // Access tokens travel in a header, never in cookies: no credentialed CORS needed.
    credentials: false,
    maxAge: 600,
  });
}
