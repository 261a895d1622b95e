/**
 * Ed25519 signing keys for access tokens, kept as a private JWK set (the value of
 * JWT_PRIVATE_KEYS). Generation lives here because the launcher, the tests and the
 * `npm run keys:jwt` command all make keys; only user-service signs with them.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface PrivateJwkSet {
  keys: JWK[];
}

export async function generateSigningKey(kid: string = randomBytes(8).toString('hex')): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg: 'EdDSA', use: 'sig' };
}

export async function generateSigningKeySet(): Promise<PrivateJwkSet> {
  return { keys: [await generateSigningKey()] };
}
