/** Security headers (helmet) and CORS, both from configuration. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

// What a browser app on another origin may read from our responses.
export const EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Link',
  'X-Request-Id',
];

const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      // Helmet's default would make browsers fetch the docs page's assets over https,
      // which breaks /docs on a plain-http development gateway; behind TLS every asset
      // URL is relative anyway.
      upgradeInsecureRequests: null,
    },
  },
};

/**
 * The headers helmet sets, computed once. They do not depend on the request, but
 * @fastify/helmet builds helmet's whole middleware (parsing the CSP directives) on every
 * request: 3% of the gateway's CPU under load. Helmet stays the source of the values.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
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
