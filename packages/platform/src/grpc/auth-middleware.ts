/**
 * Server-side authentication: every method needs a valid user access token unless the
 * service lists it as public. Public methods still verify a token when one is sent, so they
 * can personalise the answer (and a bad token is refused, never silently ignored).
 */
import { Metadata, type ServerMiddleware } from 'nice-grpc-common';
import { type AccessTokenVerifier, bearerToken, InvalidTokenError } from '../auth/access-token.js';
import { unauthenticated } from '../errors.js';
import type { Caller, UserCaller, WrenCallContextExt } from './call-context.js';

export interface AuthPolicy {
  verifier: AccessTokenVerifier;
  /** Full method paths (`/wren.user.v1.AuthService/Login`) callable without a token. */
  publicMethods: ReadonlySet<string>;
}

export const HEALTH_SERVICE_PREFIX = '/grpc.health.v1.Health/';

export function authMiddleware(
  policy: AuthPolicy,
): ServerMiddleware<Pick<WrenCallContextExt, 'caller'>, Omit<WrenCallContextExt, 'caller'>> {
  return async function* authenticate(call, context) {
    const path = call.method.path;
    const isPublic = policy.publicMethods.has(path) || path.startsWith(HEALTH_SERVICE_PREFIX);
    const header = context.metadata.get('authorization');
    let caller: Caller | undefined;
    if (header !== undefined) {
      const token = bearerToken(header);
      if (!token) throw unauthenticated('authorization metadata must be "Bearer <access token>"', 'MALFORMED_TOKEN');
      try {
        const claims = await policy.verifier.verify(token);
        caller = { kind: 'user', userId: claims.userId, sessionId: claims.sessionId, token };
      } catch (error) {
        if (error instanceof InvalidTokenError) {
          throw unauthenticated(error.message, error.reason === 'expired' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN');
        }
        throw error;
      }
    } else if (!isPublic) {
      throw unauthenticated('an access token is required', 'MISSING_TOKEN');
    }
    return yield* call.next(call.request, { ...context, caller });
  };
}

/** The calling user, or UNAUTHENTICATED when the method was reached without one. */
export function requireUser(context: { caller: Caller | undefined }): UserCaller {
  if (context.caller?.kind !== 'user') throw unauthenticated('an access token is required', 'MISSING_TOKEN');
  return context.caller;
}

/** Metadata that makes a downstream call act as the same user and carry the same request id. */
export function forwardMetadata(context: { caller: Caller | undefined; requestId: string }): Metadata {
  const metadata = Metadata({ 'x-request-id': context.requestId });
  if (context.caller) metadata.set('authorization', `Bearer ${context.caller.token}`);
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
