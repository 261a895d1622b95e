/** Keys and credentials: the public JWKS, and service credentials for other Wren services. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthServiceImplementation } from '@wren/contracts/user/v1/auth_service.js';
import { unauthenticated, type WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { SERVICE_TOKEN_TTL_SECONDS } from '../domain/token-issuer.js';

function secretMatches(expectedSha256Hex: string, secret: string): boolean {
  const expected = Buffer.from(expectedSha256Hex, 'hex');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function keysRpc(
  ctx: UserServiceContext,
): Pick<AuthServiceImplementation<WrenCallContextExt>, 'getJwks' | 'issueServiceToken'> {
  return {
    async getJwks() {
      return { keys: ctx.tokens.publicKeys() };
    },
    async issueServiceToken(request) {
      const expected = ctx.config.serviceClients.get(request.service);
      if (!expected || !secretMatches(expected, request.clientSecret)) {
        throw unauthenticated('unknown service or wrong client secret', 'INVALID_CLIENT');
      }
      return { token: await ctx.tokens.signServiceToken(request.service), expiresIn: SERVICE_TOKEN_TTL_SECONDS };
    },
  };
}
