/** Access tokens signed with the testkit keys, the way user-service signs them — or not quite. */
import { randomUUID } from 'node:crypto';
import { testSigningKeys } from '@wren/testkit';
import { importJWK, type JWTPayload, SignJWT } from 'jose';

export interface TokenOptions {
  userId?: string;
  sessionId?: string;
  issuer?: string;
  audience?: string;
  typ?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  kid?: string;
  extraClaims?: JWTPayload;
}

export async function signTestToken(options: TokenOptions = {}): Promise<string> {
  const [key] = (await testSigningKeys()).keys;
  if (!key?.kid) throw new Error('the testkit key set has no key');
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresIn ?? 900;
  return new SignJWT({ sid: options.sessionId ?? randomUUID(), ...options.extraClaims })
    .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? key.kid, typ: options.typ ?? 'at+jwt' })
    .setIssuer(options.issuer ?? 'wren')
    .setAudience(options.audience ?? 'wren-api')
    .setSubject(options.userId ?? randomUUID())
    .setIssuedAt(Math.min(now, now + expiresIn - 60))
    .setExpirationTime(now + expiresIn)
    .sign(await importJWK({ ...key, alg: 'EdDSA' }, 'EdDSA'));
}

/** The same claims with `alg: none` and no signature: must never be accepted. */
export function unsignedToken(payload: JWTPayload, header: Record<string, unknown> = {}): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'at+jwt', ...header })}.${encode(payload)}.`;
}

/** Flips one character of the signature. */
export function tamper(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  return `${header}.${payload}.${flipped}`;
}

/** Same signature, a different subject: the signature no longer matches. */
export function swapSubject(token: string, userId: string): string {
  const [header, payload = '', signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: userId })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}
