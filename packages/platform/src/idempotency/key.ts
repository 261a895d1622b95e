/** Reading the `idempotency-key` metadata entry the gateway forwards from `Idempotency-Key`. */
import type { Metadata } from 'nice-grpc-common';
import { invalidArgument } from '../errors.js';

export const IDEMPOTENCY_KEY_METADATA = 'idempotency-key';

// Printable ASCII (space to tilde), as an HTTP header value can carry it unencoded.
const KEY_PATTERN = /^[\x20-\x7e]{1,128}$/;

/** The key of the call, undefined when it carries none; INVALID_ARGUMENT when malformed. */
export function idempotencyKeyOf(metadata: Metadata): string | undefined {
  const values = metadata.getAll(IDEMPOTENCY_KEY_METADATA);
  if (values.length === 0) return undefined;
  const value = values[0];
  if (values.length > 1 || typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw invalidArgument({ field: 'idempotency_key', description: 'must be 1 to 128 printable ASCII characters' });
  }
  return value;
}
