/**
 * Prints a value for JWT_PRIVATE_KEYS. With `--rotate`, the new key goes first (it signs)
 * and the keys of the current JWT_PRIVATE_KEYS stay published, so tokens they signed stay
 * valid until they expire; drop the old keys after ACCESS_TOKEN_TTL_SECONDS.
 */
import { generateSigningKey, type PrivateJwkSet } from '@wren/platform';

const rotate = process.argv.includes('--rotate');
const current: PrivateJwkSet = rotate ? JSON.parse(process.env.JWT_PRIVATE_KEYS ?? '{"keys":[]}') : { keys: [] };
if (rotate && current.keys.length === 0) {
  console.error('--rotate needs the current key set in JWT_PRIVATE_KEYS');
  process.exit(1);
}
const next: PrivateJwkSet = { keys: [await generateSigningKey(), ...current.keys] };
console.log(`JWT_PRIVATE_KEYS='${JSON.stringify(next)}'`);
