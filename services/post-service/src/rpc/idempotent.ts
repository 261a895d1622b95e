/**
 * The glue between a create handler and the platform's idempotency keys: the key from the
 * call's metadata, the request's own encoding as its fingerprint, the response's encoding
 * as what is replayed.
 */
import { idempotencyKeyOf, runIdempotent } from '@wren/platform';
import type { Transaction } from 'kysely';
import type { CallContext } from 'nice-grpc';
import type { PostServiceContext } from '../context.js';
import type { PostDatabase } from '../db/schema.js';

interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

export function idempotently<Request, Response>(
  ctx: PostServiceContext,
  call: { context: CallContext; userId: string; method: string; request: Request },
  codecs: { request: MessageCodec<Request>; response: MessageCodec<Response> },
  effect: (trx: Transaction<PostDatabase>) => Promise<Response>,
): Promise<Response> {
  return runIdempotent(
    ctx.database.db,
    {
      userId: call.userId,
      method: call.method,
      key: idempotencyKeyOf(call.context.metadata),
      request: codecs.request.encode(call.request).finish(),
      encode: (response) => codecs.response.encode(response).finish(),
      decode: (bytes) => codecs.response.decode(bytes),
    },
    effect,
  );
}
