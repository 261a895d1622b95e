/**
 * Server-side authentication: every method needs a valid user access token unless the
 * service lists it as public. Public methods still verify a token when one is sent, so they
 * can personalise the answer (and a bad token is refused, never silently ignored).
 */
import { Metadata, type ServerMiddleware } from 'nice-grpc-common';
import {
  type AccessTokenVerifier,
  bearerToken,
  claimedTokenType,
  InvalidTokenError,
  SERVICE_TOKEN_TYPE,
} from '../auth/access-token.js';
import { permissionDenied, unauthenticated } from '../errors.js';
import type { Caller, UserCaller, WrenCallContextExt } from './call-context.js';

export interface AuthPolicy {
  verifier: AccessTokenVerifier;
  /** Full method paths (`/wren.user.v1.AuthService/Login`) callable without a token. */
  publicMethods: ReadonlySet<string>;
  /**
   * Methods only other services may call (with a service credential). No other method
   * accepts a service credential: a service never acts as a user.
   */
  serviceMethods?: ReadonlySet<string>;
}

export const HEALTH_SERVICE_PREFIX = '/grpc.health.v1.Health/';

export function authMiddleware(
  policy: AuthPolicy,
): ServerMiddleware<Pick<WrenCallContextExt, 'caller'>, Omit<WrenCallContextExt, 'caller'>> {
  return async function* authenticate(call, context) {
    const path = call.method.path;
    const isPublic = policy.publicMethods.has(path) || path.startsWith(HEALTH_SERVICE_PREFIX);
    const forServices = policy.serviceMethods?.has(path) ?? false;
    const header = context.metadata.get('authorization');
    let caller: Caller | undefined;
    if (header !== undefined) {
      const token = bearerToken(header);
      if (!token) throw unauthenticated('authorization metadata must be "Bearer <access token>"', 'MALFORMED_TOKEN');
      caller = await verifyCaller(policy.verifier, token, forServices);
    } else if (!isPublic) {
      throw unauthenticated('an access token is required', 'MISSING_TOKEN');
    }
    if (forServices && caller?.kind !== 'service') {
      throw permissionDenied('only Wren services may call this method', 'SERVICE_ONLY');
    }
    return yield* call.next(call.request, { ...context, caller });
  };
}

const TOKEN_REFUSAL_REASONS: Record<InvalidTokenError['reason'], string> = {
  malformed: 'INVALID_TOKEN',
  invalid: 'INVALID_TOKEN',
  expired: 'TOKEN_EXPIRED',
  revoked: 'SESSION_REVOKED',
};

async function verifyCaller(verifier: AccessTokenVerifier, token: string, forServices: boolean): Promise<Caller> {
  try {
    if (forServices && claimedTokenType(token) === SERVICE_TOKEN_TYPE) {
      const claims = await verifier.verifyService(token);
      return { kind: 'service', service: claims.service };
    }
    const claims = await verifier.verify(token);
    return { kind: 'user', userId: claims.userId, sessionId: claims.sessionId, token };
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      throw unauthenticated(error.message, TOKEN_REFUSAL_REASONS[error.reason]);
    }
    throw error;
  }
}

/** The calling user, or UNAUTHENTICATED when the method was reached without one. */
export function requireUser(context: { caller: Caller | undefined }): UserCaller {
  if (context.caller?.kind !== 'user') throw unauthenticated('an access token is required', 'MISSING_TOKEN');
  return context.caller;
}

/** Metadata that makes a downstream call act as the same user and carry the same request id. */
export function forwardMetadata(context: { caller: Caller | undefined; requestId: string }): Metadata {
  const metadata = Metadata({ 'x-request-id': context.requestId });
  if (context.caller?.kind === 'user') metadata.set('authorization', `Bearer ${context.caller.token}`);
  return metadata;
}

/** `/package.Service/Method` of a method of a generated service definition. */
export function methodPath<Def extends { fullName: string; methods: Record<string, { name: string }> }>(
  definition: Def,
  method: keyof Def['methods'] & string,
): string {
  const found = definition.methods[method];
  if (!found) throw new Error(`${definition.fullName} has no method ${method}`);
  return `/${definition.fullName}/${found.name}`;
}
