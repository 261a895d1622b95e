/**
 * Idempotency keys for an effect that is a single SQL statement. `runIdempotent` claims the
 * key in a transaction of its own and stores the response in a second one, because its
 * effect is arbitrary code; an effect that is one statement (post-service's compose) can do
 * it in one round trip instead: its statement takes the key *with the response already in
 * it*, as its first CTE, and gates every write on that claim. A key is then never visible
 * without its response, and nothing else is needed to make a crash safe: the statement
 * commits whole or not at all.
 *
 * A second request with the same key waits on the first one's uncommitted key row (unique
 * index), then finds the key taken and is answered by `answerRepeat` with the first
 * response. Keys claimed by `runIdempotent`'s two steps are honoured the same way (an
 * unfinished claim answers IDEMPOTENCY_KEY_IN_USE until it expires).
 */
import { type RawBuilder, sql } from 'kysely';
import { uuidv7 } from '../ids.js';
import { DEFAULT_IDEMPOTENCY_RETENTION_MS, type IdempotentCall, TAKE_OVER_FREE_KEY } from './run-idempotent.js';

/**
 * The claim of `call.key` with `response` (its encoding) for a statement's CTE, e.g.
 * `WITH claim AS (${claim}), post AS (INSERT … SELECT … WHERE EXISTS (SELECT 1 FROM claim))`.
 * An expired key, or a two-step claim whose request died, is taken over.
 */
export function claimWithResponse(
  call: Pick<IdempotentCall<unknown>, 'userId' | 'method'> & { key: string },
  hash: Buffer,
  response: Uint8Array,
  retentionMs = DEFAULT_IDEMPOTENCY_RETENTION_MS,
): RawBuilder<unknown> {
  return sql`
    INSERT INTO idempotency_keys AS k
           (user_id, method, key, request_hash, claim_id, claimed_until, expires_at, response)
    VALUES (${call.userId}, ${call.method}, ${call.key}, ${hash}, ${uuidv7()}, now(),
            now() + ${retentionMs} * interval '1 millisecond', ${Buffer.from(response)})
    ${TAKE_OVER_FREE_KEY}
    RETURNING 1 AS claimed`;
}
