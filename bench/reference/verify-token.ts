/**
 * The reference server's access-token check: an EdDSA (Ed25519) compact JWS, verified with
 * node:crypto on every request. Wren's services cache verified tokens; the reference pays
 * the signature check each time, so its CPU per request is not flattered by a cache.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** A PEM (SPKI) or a JWK (JSON) public key, as the REFERENCE_JWT_PUBLIC_KEY variable holds it. */
export function publicKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return createPublicKey({ key: JSON.parse(trimmed), format: 'jwk' });
  return createPublicKey(trimmed);
}

const decodeJson = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The user id of a valid `Bearer` token, or undefined for a missing, forged, malformed or expired one. */
export function verifyBearer(
  authorization: string | undefined,
  publicKey: KeyObject,
  nowSeconds = Date.now() / 1000,
): number | undefined {
  if (!authorization?.startsWith('Bearer ')) return undefined;
  const parts = authorization.slice(7).split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const { alg } = decodeJson(header) as { alg?: unknown };
    // The header is the signer's claim, so it is checked before anything is trusted.
    if (alg !== 'EdDSA') return undefined;
    if (!verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) {
      return undefined;
    }
    const { sub, exp } = decodeJson(payload) as { sub?: unknown; exp?: unknown };
    if (typeof exp !== 'number' || exp <= nowSeconds) return undefined;
    const id = Number(sub);
    return typeof sub === 'string' && /^\d{1,9}$/.test(sub) && Number.isSafeInteger(id) ? id : undefined;
  } catch {
    return undefined; // not base64url JSON
  }
}
