/**
 * Defence in depth behind the gateway: a request whose strings PostgreSQL cannot store (NUL,
 * unpaired surrogates) is refused as INVALID_ARGUMENT naming the field, before any handler
 * runs — whoever the caller is, and whether or not the handler checks that field itself.
 * Without it such a string reaches SQL and comes back as an encoding error, an INTERNAL.
 */
import type { ServerMiddleware } from 'nice-grpc-common';
import { invalidArgument } from '../errors.js';
import { findUnstorableStrings } from '../storable-text.js';

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A path in the decoded message as the proto names it (`subscription.p256dh`, `ids[2]`),
 * which is how services report fields and how the gateway maps them to JSON names. ts-proto
 * decodes a oneof as `{ $case, value }`; the field is the case, not the oneof or `value`.
 */
export function protoFieldPath(path: readonly (string | number)[], message: unknown): string {
  let field = '';
  let node: unknown = message;
  for (const segment of path) {
    const parent = node;
    node = (parent as Record<string | number, unknown> | undefined)?.[segment];
    if (typeof segment === 'number') {
      field += `[${segment}]`;
      continue;
    }
    // The oneof's own name is not a field of the message; its case is.
    if (isOneof(node) || segment === '$case') continue;
    const name = segment === 'value' && isOneof(parent) ? parent.$case : segment;
    field += `${field ? '.' : ''}${snakeCase(name)}`;
  }
  return field;
}

const isOneof = (value: unknown): value is { $case: string } =>
  typeof value === 'object' && value !== null && typeof (value as { $case?: unknown }).$case === 'string';

export function storableTextMiddleware(): ServerMiddleware {
  return async function* refuseUnstorableText(call, context) {
    // Streamed requests are the handler's to read; no service takes one.
    if (!call.requestStream) {
      const found = findUnstorableStrings(call.request);
      if (found.length > 0) {
        throw invalidArgument(
          found.map(({ path, problem }) => ({ field: protoFieldPath(path, call.request), description: problem })),
        );
      }
    }
    return yield* call.next(call.request, context);
  };
}
