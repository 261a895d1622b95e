/**
 * Who is calling. Each route declares `config.auth`: `required` (a user's access token),
 * `optional` (public, personalised when a token comes) or `none` (the token is ignored).
 *
 * Two steps, around the rate limiter: `onRequest` verifies a token when one is sent, so the
 * limiter can count a user's requests under the user; `preParsing` then refuses what the
 * route does not allow — after the limiter counted it (bad tokens count against the IP),
 * and before a body is read for someone who may not send one.
 */
import { type AccessTokenVerifier, bearerToken, InvalidTokenError } from '@wren/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from './errors.js';

export type AuthMode = 'required' | 'optional' | 'none';

export interface RequestCaller {
  userId: string;
  sessionId: string;
  /** The verified token, forwarded to the services (see clients.ts `callOptions`). */
  token: string;
}

interface AuthFailure {
  detail: string;
  code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'SESSION_REVOKED';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    caller: RequestCaller | null;
    authFailure: AuthFailure | null;
  }
}

export const BEARER_SCHEME = 'bearerAuth';

const authModeOf = (request: FastifyRequest): AuthMode => request.routeOptions.config.auth ?? 'none';

async function identify(verifier: AccessTokenVerifier, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  if (authModeOf(request) === 'none' || header === undefined) return;
  const token = bearerToken(header);
  if (!token) {
    request.authFailure = {
      detail: 'The Authorization header must be "Bearer <access token>".',
      code: 'INVALID_TOKEN',
    };
    return;
  }
  try {
    const claims = await verifier.verify(token);
    request.caller = { userId: claims.userId, sessionId: claims.sessionId, token };
  } catch (error) {
    // Anything else (user-service unreachable while fetching keys) is not the caller's
    // fault and must not read as a bad token: it goes to the error handler as it is.
    if (!(error instanceof InvalidTokenError)) throw error;
    request.authFailure = failureOf(error);
  }
}

function failureOf(error: InvalidTokenError): AuthFailure {
  if (error.reason === 'expired') {
    return { detail: 'The access token has expired; get a new one with POST /v1/auth/refresh.', code: 'TOKEN_EXPIRED' };
  }
  if (error.reason === 'revoked') {
    return { detail: 'The session of this access token has ended; sign in again.', code: 'SESSION_REVOKED' };
  }
  return { detail: 'The access token is not valid.', code: 'INVALID_TOKEN' };
}

function enforce(request: FastifyRequest): void {
  const mode = authModeOf(request);
  if (mode === 'none') return;
  if (request.authFailure) {
    throw new ProblemError('unauthenticated', request.authFailure.detail, { code: request.authFailure.code });
  }
  if (mode === 'required' && !request.caller) {
    throw new ProblemError('unauthenticated', 'This endpoint needs an access token: "Authorization: Bearer <token>".', {
      code: 'MISSING_TOKEN',
    });
  }
}

/** Installs the auth hooks; call before registering the rate limiter and the routes. */
export function installAuth(app: FastifyInstance, verifier: AccessTokenVerifier): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('authFailure', null);

  app.addHook('onRoute', (route) => {
    const mode = route.config?.auth;
    // Forgetting to decide is a bug caught at start, not a public endpoint by accident.
    if (route.url.startsWith('/v1/') && mode === undefined) {
      throw new Error(`${route.method} ${route.url} must declare config.auth`);
    }
    // The OpenAPI document states the same decision, from the same source.
    if (mode === 'required' || mode === 'optional') {
      const bearer: Record<string, string[]> = { [BEARER_SCHEME]: [] };
      route.schema = { ...route.schema, security: mode === 'required' ? [bearer] : [bearer, {}] };
    }
  });

  app.addHook('onRequest', async (request) => identify(verifier, request));
  app.addHook('preParsing', async (request) => enforce(request));
}
