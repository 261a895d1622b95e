/**
 * Exactly-once effects for create calls that carry an idempotency key. A request first
 * claims the key (a short transaction of its own), then runs its effect in a second
 * transaction that also stores the encoded response. Because the response is written with
 * the effect, a crash leaves either both or neither; a claim whose request died expires
 * after `claimTimeoutMs` and may be taken over, since nothing was done under it.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { aborted, failedPrecondition } from '../errors.js';
import { uuidv7 } from '../ids.js';

export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';
export const IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE';

/** Keys are kept at least this long (the contract promises 24 hours). */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;
/**
 * A claim older than this belongs to a request that died; it no longer blocks the key.
 * Twice the gateway's default deadline (5 s): by then the caller has long given up, and a
 * client retrying after a crash waits at most this long. Taking over a claim whose request
 * is in fact still running is safe: that request's response update finds another claim_id
 * and rolls its effect back, so the effect still happens once.
 */
export const DEFAULT_IDEMPOTENCY_CLAIM_TIMEOUT_MS = 10_000;

/**
 * The one rule for taking a key that exists (table alias `k`): an expired key is free
 * again, and so is a claim whose request died without a response. Every claim uses it;
 * the new row's columns replace the old row's (a claim without a response inserts NULL).
 */
export const TAKE_OVER_FREE_KEY = sql`
  ON CONFLICT (user_id, method, key) DO UPDATE SET
    request_hash = excluded.request_hash, claim_id = excluded.claim_id, claimed_until = excluded.claimed_until,
    response = excluded.response, created_at = now(), expires_at = excluded.expires_at
  WHERE k.expires_at <= now() OR (k.response IS NULL AND k.claimed_until <= now())`;

export interface IdempotentCall<Response> {
  userId: string;
  /** Scopes the key: the same key on two methods names two different requests. */
  method: string;
  /** The caller's key; without one the effect simply runs in a transaction. */
  key: string | undefined;
  /** The encoded request; its hash decides "same request". */
  request: Uint8Array;
  encode(response: Response): Uint8Array;
  decode(bytes: Uint8Array): Response;
}

export interface IdempotencyOptions {
  retentionMs?: number;
  claimTimeoutMs?: number;
}

function keyInUse(): Error {
  return aborted('a request with this idempotency key is still in progress; retry later', IDEMPOTENCY_KEY_IN_USE);
}

function keyReused(): Error {
  return failedPrecondition('this idempotency key was used for a different request', IDEMPOTENCY_KEY_REUSED);
}

interface KeyRow {
  request_hash: Buffer;
  response: Buffer | null;
}

/** The hash that decides whether two requests under one key are the same request. */
export function requestHash(request: Uint8Array): Buffer {
  return createHash('sha256').update(request).digest();
}

/**
 * A request whose key is already taken: the first request's response if it is the same
 * request and has finished, else IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_KEY_IN_USE.
 */
export async function answerRepeat<DB, Response>(
  db: Kysely<DB>,
  call: Pick<IdempotentCall<Response>, 'userId' | 'method' | 'key' | 'decode'>,
  hash: Buffer,
): Promise<Response> {
  const existing = await sql<KeyRow>`
    SELECT request_hash, response FROM idempotency_keys
    WHERE user_id = ${call.userId} AND method = ${call.method} AND key = ${call.key}
  `.execute(db);
  const row = existing.rows[0];
  // Gone between the two statements means a sweep removed it just now: ask for a retry.
  if (!row) throw keyInUse();
  if (!hash.equals(row.request_hash)) throw keyReused();
  if (row.response === null) throw keyInUse();
  return call.decode(new Uint8Array(row.response));
}

export async function runIdempotent<DB, Response>(
  db: Kysely<DB>,
  call: IdempotentCall<Response>,
  effect: (trx: Transaction<DB>) => Promise<Response>,
  options: IdempotencyOptions = {},
): Promise<Response> {
  if (call.key === undefined) return db.transaction().execute(effect);
  const { userId, method, key } = call;
  const hash = requestHash(call.request);
  const claimId = uuidv7();
  const retentionMs = options.retentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
  const claimMs = options.claimTimeoutMs ?? DEFAULT_IDEMPOTENCY_CLAIM_TIMEOUT_MS;

  // Expired keys are free again, and so is a claim whose request died without a response.
  const claimed = await sql<{ claim_id: string }>`
    INSERT INTO idempotency_keys AS k (user_id, method, key, request_hash, claim_id, claimed_until, expires_at)
    VALUES (${userId}, ${method}, ${key}, ${hash}, ${claimId},
            now() + ${claimMs} * interval '1 millisecond', now() + ${retentionMs} * interval '1 millisecond')
    ${TAKE_OVER_FREE_KEY}
    RETURNING claim_id
  `.execute(db);

  if (claimed.rows.length === 0) return answerRepeat(db, call, hash);

  try {
    return await db.transaction().execute(async (trx) => {
      const response = await effect(trx);
      const stored = await sql`
        UPDATE idempotency_keys SET response = ${Buffer.from(call.encode(response))}, claimed_until = now()
        WHERE user_id = ${userId} AND method = ${method} AND key = ${key} AND claim_id = ${claimId}
      `.execute(trx);
      // Our claim expired and another request took the key over: undo, it will answer.
      if (stored.numAffectedRows === 0n) throw keyInUse();
      return response;
    });
  } catch (error) {
    // Free the key so that a retry of a failed request is not refused as "in use".
    await sql`
      DELETE FROM idempotency_keys
      WHERE user_id = ${userId} AND method = ${method} AND key = ${key} AND claim_id = ${claimId} AND response IS NULL
    `
      .execute(db)
      .catch(() => {});
    throw error;
  }
}
