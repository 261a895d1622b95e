import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateReferenceKeys, mintToken, mintTokens, TOKEN_LIFETIME_SECONDS } from '../reference/tokens.js';
import { publicKeyFrom, verifyBearer } from '../reference/verify-token.js';

const keys = generateReferenceKeys();
const publicKey = publicKeyFrom(keys.publicKeyPem);
const now = Math.floor(Date.now() / 1000);
const bearer = (token: string) => `Bearer ${token}`;
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('reference tokens', () => {
  it('mints EdDSA compact JWS that the server verifier accepts, sub the node id', () => {
    const token = mintToken(keys.privateKey, 42, now);
    const [header, payload] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'EdDSA', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({
      sub: '42',
      iat: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
    });
    expect(verifyBearer(bearer(token), publicKey)).toBe(42);
    expect(mintTokens(keys.privateKey, 3).map((t) => verifyBearer(bearer(t), publicKey))).toEqual([0, 1, 2]);
  });

  it('accepts the public key as a JWK too', () => {
    const jwk = JSON.stringify(publicKey.export({ format: 'jwk' }));
    expect(verifyBearer(bearer(mintToken(keys.privateKey, 7)), publicKeyFrom(jwk))).toBe(7);
  });

  it('refuses a tampered, foreign, expired, unsigned or malformed token', () => {
    const token = mintToken(keys.privateKey, 1, now);
    const [header, , signature] = token.split('.') as [string, string, string];
    const otherUser = part({ sub: '2', iat: now, exp: now + 3600 });
    expect(verifyBearer(bearer(`${header}.${otherUser}.${signature}`), publicKey)).toBeUndefined();
    // A character in the middle (every bit of it counts), changed to a different one.
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(flipped).not.toBe(signature);
    expect(verifyBearer(bearer(`${header}.${token.split('.')[1]}.${flipped}`), publicKey)).toBeUndefined();

    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect(verifyBearer(bearer(mintToken(stranger, 1, now)), publicKey)).toBeUndefined();

    const expired = mintToken(keys.privateKey, 1, now - 7200, 3600);
    expect(verifyBearer(bearer(expired), publicKey)).toBeUndefined();
    expect(verifyBearer(bearer(token), publicKey, now + TOKEN_LIFETIME_SECONDS + 1)).toBeUndefined();

    const none = `${part({ alg: 'none', typ: 'JWT' })}.${token.split('.')[1]}.`;
    expect(verifyBearer(bearer(none), publicKey)).toBeUndefined();
    expect(verifyBearer(undefined, publicKey)).toBeUndefined();
    expect(verifyBearer(token, publicKey)).toBeUndefined(); // no "Bearer "
    expect(verifyBearer('Bearer a.b', publicKey)).toBeUndefined();
    expect(verifyBearer('Bearer %%%.***.!!!', publicKey)).toBeUndefined();
  });
});
