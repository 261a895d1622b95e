/**
 * Signs access tokens with the active key and publishes every configured key, so a key can
 * be rotated in without invalidating the tokens signed by the one before it.
 */

import type { Jwk } from '@wren/contracts/user/v1/auth_service.js';
import {
  ACCESS_TOKEN_TYPE,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  type PrivateJwkSet,
  SERVICE_TOKEN_AUDIENCE,
  SERVICE_TOKEN_TYPE,
  uuidv7,
} from '@wren/platform';
import { type CryptoKey, importJWK, type JWK, SignJWT } from 'jose';
import type { UserServiceConfig } from '../config.js';

export interface TokenIssuer {
  signAccessToken(userId: string, sessionId: string): Promise<{ token: string; expiresIn: number }>;
  /** A short-lived credential for calling other services as `service` (the outbox relay). */
  signServiceToken(service: string): Promise<string>;
  publicKeys(): Jwk[];
  verifier: AccessTokenVerifier;
}

export const SERVICE_TOKEN_TTL_SECONDS = 300;

function publicPart(key: JWK): Jwk {
  return { kid: key.kid ?? '', kty: 'OKP', crv: 'Ed25519', x: key.x ?? '', alg: 'EdDSA', use: 'sig' };
}

export async function createTokenIssuer(tokens: UserServiceConfig['tokens']): Promise<TokenIssuer> {
  const keys: PrivateJwkSet['keys'] = tokens.signingKeys.keys;
  const active = keys.find((key) => key.kid === tokens.activeKid);
  if (!active) throw new Error(`JWT_ACTIVE_KID ${tokens.activeKid} is not in JWT_PRIVATE_KEYS`);
  const signingKey = (await importJWK({ ...active, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
  const published = keys.map(publicPart);

  return {
    async signAccessToken(userId, sessionId) {
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: 'EdDSA', kid: tokens.activeKid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(tokens.issuer)
        .setAudience(tokens.audience)
        .setSubject(userId)
        .setJti(uuidv7())
        .setIssuedAt()
        .setExpirationTime(`${tokens.accessTokenTtlSeconds}s`)
        .sign(signingKey);
      return { token, expiresIn: tokens.accessTokenTtlSeconds };
    },
    signServiceToken(service) {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: tokens.activeKid, typ: SERVICE_TOKEN_TYPE })
        .setIssuer(tokens.issuer)
        .setAudience(SERVICE_TOKEN_AUDIENCE)
        .setSubject(service)
        .setJti(uuidv7())
        .setIssuedAt()
        .setExpirationTime(`${SERVICE_TOKEN_TTL_SECONDS}s`)
        .sign(signingKey);
    },
    publicKeys: () => published,
    verifier: createAccessTokenVerifier({
      issuer: tokens.issuer,
      audience: tokens.audience,
      fetchKeys: async () => published as JWK[],
    }),
  };
}
