import { generateSigningKeySet, type PrivateJwkSet } from '@wren/platform';

let cached: Promise<PrivateJwkSet> | undefined;

/** One signing key set per test process; what JWT_PRIVATE_KEYS holds in production. */
export function testSigningKeys(): Promise<PrivateJwkSet> {
  cached ??= generateSigningKeySet();
  return cached;
}
