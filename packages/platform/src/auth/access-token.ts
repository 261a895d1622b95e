/**
 * Verifies Wren access tokens (EdDSA JWTs signed by user-service). Every process that
 * accepts a token uses this one verifier: the gateway, and each service behind it, so that
 * reaching a service port is never enough to act as someone.
 */
import {
  type CryptoKey,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import type { RevokedSessionSet } from './revoked-sessions.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Service credentials: what a service sends when it calls another on its own behalf. */
export const SERVICE_TOKEN_TYPE = 'wren-svc+jwt';
export const SERVICE_TOKEN_AUDIENCE = 'wren-services';

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
  /** How many verified tokens to remember (0: none); see `verifiedCache`. */
  cacheSize?: number;
  /**
   * Sessions known to have ended: their tokens are refused though their signatures are
   * good (see revoked-sessions.ts). Checked on every verification, cached or not.
   */
  revoked?: RevokedSessionSet;
  now?: () => number;
}

export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'expired' | 'invalid' | 'revoked',
  ) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export interface ServiceTokenClaims {
  service: string;
  expiresAt: number;
}

export interface AccessTokenVerifier {
  /** A user's access token; service credentials are refused here. */
  verify(token: string): Promise<AccessTokenClaims>;
  /** A service credential (typ wren-svc+jwt, aud wren-services); user tokens are refused here. */
  verifyService(token: string): Promise<ServiceTokenClaims>;
}

type VerifiedPayload = JWTPayload & { sub: string; exp: number };

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

  // A token that verified once verifies the same way until it expires: its signature covers
  // every claim, and the cache key is the whole token, signature included. Remembering it
  // saves the Ed25519 verification (the biggest cost of an authenticated request) on every
  // later request with the same token. Bounded, oldest out first. What it cannot see: a
  // signing key withdrawn from the JWKS still has its unexpired tokens accepted here until
  // they expire (≤ the access-token TTL) — the same window a stateless JWT has anyway.
  const verified = new Map<string, { typ: string; audience: string; payload: VerifiedPayload }>();
  const cacheSize = options.cacheSize ?? 10_000;

  const check = async (token: string, typ: string, audience: string): Promise<VerifiedPayload> => {
    const cached = verified.get(token);
    if (cached && cached.typ === typ && cached.audience === audience) {
      if (cached.payload.exp * 1000 > now()) return cached.payload;
      verified.delete(token);
      throw new InvalidTokenError('token has expired', 'expired');
    }
    const payload = await verifySignature(token, typ, audience);
    if (cacheSize > 0) {
      if (verified.size >= cacheSize) verified.delete(verified.keys().next().value as string);
      verified.set(token, { typ, audience, payload });
    }
    return payload;
  };

  const verifySignature = async (token: string, typ: string, audience: string): Promise<VerifiedPayload> => {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw new InvalidTokenError('token is malformed', 'malformed');
    }
    try {
      const { payload } = await jwtVerify(token, keyFor, {
        issuer: options.issuer,
        audience,
        algorithms: ['EdDSA'],
        typ,
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: new Date(now()),
      });
      if (typeof payload.sub !== 'string') throw new InvalidTokenError('token claims are malformed', 'invalid');
      return payload as VerifiedPayload;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('token has expired', 'expired');
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(`token is invalid (${error.code})`, 'invalid');
      throw error;
    }
  };

  return {
    async verify(token) {
      const payload = await check(token, ACCESS_TOKEN_TYPE, options.audience);
      if (typeof payload.sid !== 'string') throw new InvalidTokenError('token claims are malformed', 'invalid');
      if (options.revoked?.has(payload.sid)) throw new InvalidTokenError('the session has ended', 'revoked');
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
    },
    async verifyService(token) {
      const payload = await check(token, SERVICE_TOKEN_TYPE, SERVICE_TOKEN_AUDIENCE);
      return { service: payload.sub, expiresAt: payload.exp * 1000 };
    },
  };
}

/** The `typ` a token claims, read without verifying it: only to pick the verification path. */
export function claimedTokenType(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).typ;
  } catch {
    return undefined;
  }
}

/** Reads `Bearer <token>` from an authorization header or gRPC metadata value. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return match?.[1];
}
