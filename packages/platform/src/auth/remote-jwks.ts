import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import type { JWK } from 'jose';
import type { Logger } from 'pino';
import type { EnvReader } from '../config.js';
import type { ClientPool } from '../grpc/client.js';
import { type AccessTokenVerifier, createAccessTokenVerifier } from './access-token.js';
import { createRevokedSessions, type RevokedSessionSet, type RevokedSessions } from './revoked-sessions.js';

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

/**
 * A verifier for processes other than user-service: keys come from its GetJwks RPC, and
 * tokens of the sessions in `revoked` are refused.
 */
export function createRemoteJwksVerifier(
  clients: ClientPool,
  userServiceAddress: string,
  tokens: TokenConfig,
  revoked?: RevokedSessionSet,
): AccessTokenVerifier {
  const auth = clients.client(AuthServiceDefinition, userServiceAddress);
  return createAccessTokenVerifier({
    ...tokens,
    revoked,
    fetchKeys: async () => (await auth.getJwks({})).keys as JWK[],
  });
}

/** Ended sessions, polled from user-service's ListRevokedSessions; start() it with the process. */
export function createRemoteRevokedSessions(
  clients: ClientPool,
  userServiceAddress: string,
  log: Pick<Logger, 'warn' | 'info'>,
): RevokedSessions {
  const auth = clients.client(AuthServiceDefinition, userServiceAddress);
  return createRevokedSessions({ log, fetch: (cursor) => auth.listRevokedSessions({ cursor, pageSize: 0 }) });
}
