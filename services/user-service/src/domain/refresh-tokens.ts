/**
 * Refresh tokens are opaque random strings. Only their SHA-256 is stored, so a copy of the
 * database does not hold usable tokens; 256 random bits need no salt or slow hash.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
// 32 bytes in unpadded base64url.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface NewRefreshToken {
  token: string;
  hash: Buffer;
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function newRefreshToken(): NewRefreshToken {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** Whether a string can be a token this service issued; anything else is refused unhashed. */
export function isWellFormedRefreshToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
