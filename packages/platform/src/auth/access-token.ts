/**
 * Verifies Wren access tokens (EdDSA JWTs signed by user-service). Every process that
 * accepts a token uses this one verifier: the gateway, and each service behind it, so that
 * reaching a service port is never enough to act as someone.
 */
import { type CryptoKey, errors, importJWK, type JWK, type JWTHeaderParameters, jwtVerify } from 'jose';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  expiresAt: number;
}

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Fetches the current public key set (from user-service's GetJwks, or locally there). */
  fetchKeys: () => Promise<JWK[]>;
  /** An unknown `kid` triggers a refetch at most this often, so forged kids cannot flood the JWKS source. */
  refetchIntervalMs?: number;
  now?: () => number;
}

export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'expired' | 'invalid',
  ) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenClaims>;
}

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const refetchInterval = options.refetchIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let keys = new Map<string, CryptoKey | Uint8Array>();
  let lastFetch = 0;
  let inflight: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    inflight ??= (async () => {
      try {
        const fetched = await options.fetchKeys();
        const next = new Map<string, CryptoKey | Uint8Array>();
        for (const jwk of fetched) {
          if (jwk.kid && jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
            next.set(jwk.kid, await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA'));
          }
        }
        keys = next;
        lastFetch = now();
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  const keyFor = async (header: JWTHeaderParameters): Promise<CryptoKey | Uint8Array> => {
    const kid = header.kid;
    if (!kid) throw new InvalidTokenError('token has no kid', 'invalid');
    let key = keys.get(kid);
    if (!key && (lastFetch === 0 || now() - lastFetch >= refetchInterval)) {
      await refresh();
      key = keys.get(kid);
    }
    if (!key) throw new InvalidTokenError('token is signed by an unknown key', 'invalid');
    return key;
  };

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.split('.').length !== 3) {
        throw new InvalidTokenError('token is malformed', 'malformed');
      }
      try {
        const { payload } = await jwtVerify(token, keyFor, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ['EdDSA'],
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['sub', 'sid', 'exp', 'iat'],
          currentDate: new Date(now()),
        });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
          throw new InvalidTokenError('token claims are malformed', 'invalid');
        }
        return { userId: payload.sub, sessionId: payload.sid, expiresAt: (payload.exp as number) * 1000 };
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        if (error instanceof errors.JWTExpired) throw new InvalidTokenError('token has expired', 'expired');
        if (error instanceof errors.JOSEError)
          throw new InvalidTokenError(`token is invalid (${error.code})`, 'invalid');
        throw error;
      }
    },
  };
}

/** Reads `Bearer <token>` from an authorization header or gRPC metadata value. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return match?.[1];
}
