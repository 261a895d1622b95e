/**
 * The glue between a create handler and the platform's idempotency keys: the key from the
 * call's metadata, the request's own encoding as its fingerprint, the response's encoding
 * as what is replayed. `idempotently` wraps an effect of several statements in a
 * transaction; `idempotentlyInOneStatement` hands a single-statement effect the claim to
 * include (see platform's claim-in-statement.ts).
 */
import { answerRepeat, claimWithResponse, idempotencyKeyOf, requestHash, runIdempotent } from '@wren/platform';
import type { RawBuilder, Transaction } from 'kysely';
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

/**
 * For an effect that is one statement and whose response is known before it runs: the
 * statement takes the key with the response (`claim`, undefined without a key) and says
 * whether it wrote; a request whose key was taken gets the first request's response.
 */
export async function idempotentlyInOneStatement<Request, Response>(
  ctx: PostServiceContext,
  call: { context: CallContext; userId: string; method: string; request: Request },
  codecs: { request: MessageCodec<Request>; response: MessageCodec<Response> },
  response: Response,
  write: (claim: RawBuilder<unknown> | undefined) => Promise<{ written: boolean }>,
): Promise<Response> {
  const key = idempotencyKeyOf(call.context.metadata);
  if (key === undefined) {
    await write(undefined);
    return response;
  }
  const hash = requestHash(codecs.request.encode(call.request).finish());
  const keyed = { userId: call.userId, method: call.method, key };
  const { written } = await write(claimWithResponse(keyed, hash, codecs.response.encode(response).finish()));
  if (written) return response;
  return answerRepeat(ctx.database.db, { ...keyed, decode: (bytes) => codecs.response.decode(bytes) }, hash);
}
