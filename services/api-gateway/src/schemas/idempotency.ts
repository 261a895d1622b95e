/** The `Idempotency-Key` request header of the POSTs that create things. */
import { Type } from 'typebox';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export const IdempotencyHeaders = Type.Object(
  {
    [IDEMPOTENCY_KEY_HEADER]: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        // Printable ASCII, as post-service checks it again.
        pattern: '^[\\x20-\\x7E]+$',
        description: [
          'Makes a retry safe: the same key with the same body within 24 hours answers the first',
          'result and creates nothing new; the same key with a different body is a 422; while the',
          'first request with the key is still running, a 409. Keys are yours alone. 1–128',
          'printable ASCII characters; a UUID is a good choice.',
        ].join(' '),
      }),
    ),
  },
  // Headers are an open set: only this one is looked at.
  { additionalProperties: true },
);
