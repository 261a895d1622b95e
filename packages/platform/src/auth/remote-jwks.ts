import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import type { JWK } from 'jose';
import type { EnvReader } from '../config.js';
import type { ClientPool } from '../grpc/client.js';
import { type AccessTokenVerifier, createAccessTokenVerifier } from './access-token.js';

export interface TokenConfig {
  issuer: string;
  audience: string;
}

/** Issuer and audience: user-service puts them in tokens, every verifier checks them. */
export function readTokenConfig(env: EnvReader): TokenConfig {
  return {
    issuer: env.string('JWT_ISSUER', { default: 'wren' }),
    audience: env.string('JWT_AUDIENCE', { default: 'wren-api' }),
  };
}

/** A verifier for processes other than user-service: keys come from its GetJwks RPC. */
export function createRemoteJwksVerifier(
  clients: ClientPool,
  userServiceAddress: string,
  tokens: TokenConfig,
): AccessTokenVerifier {
  const auth = clients.client(AuthServiceDefinition, userServiceAddress);
  return createAccessTokenVerifier({
    ...tokens,
    fetchKeys: async () => (await auth.getJwks({})).keys as JWK[],
  });
}
