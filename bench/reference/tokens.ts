/**
 * Keys and access tokens for the reference server: a fresh Ed25519 key pair per run (no
 * secret outlives it), and one token per node id of the graph. Wren's tokens come from
 * logging in through its API; the reference has no accounts, so the bench mints them.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export const TOKEN_LIFETIME_SECONDS = 4 * 3600;

export interface ReferenceKeys {
  privateKey: KeyObject;
  /** SPKI PEM, handed to the server in its environment. */
  publicKeyPem: string;
}

export function generateReferenceKeys(): ReferenceKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS: header {"alg":"EdDSA","typ":"JWT"}, `sub` the user id (as a string, RFC 7519). */
export function mintToken(
  privateKey: KeyObject,
  userId: number,
  nowSeconds = Math.floor(Date.now() / 1000),
  lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
): string {
  const header = encode({ alg: 'EdDSA', typ: 'JWT' });
  const payload = encode({ sub: String(userId), iat: nowSeconds, exp: nowSeconds + lifetimeSeconds });
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** tokens[id] is the token of node id `id`, as the load generator's WorkloadData holds them. */
export function mintTokens(privateKey: KeyObject, userCount: number): string[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: userCount }, (_, id) => mintToken(privateKey, id, now));
}
