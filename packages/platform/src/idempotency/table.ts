/**
 * The table behind idempotency keys. A service creates it in one of its own migrations by
 * calling this function, so every service stores keys the same way.
 */
import { type Kysely, sql } from 'kysely';

export const IDEMPOTENCY_TABLE = 'idempotency_keys';

export async function createIdempotencyKeysTable(db: Kysely<unknown>): Promise<void> {
  // One row per (user, method, key). `response` is null while the first request holds its
  // claim; `claim_id` tells that request's final write apart from a later takeover.
  await sql`
    CREATE TABLE idempotency_keys (
      user_id uuid NOT NULL,
      method text NOT NULL,
      key text NOT NULL,
      request_hash bytea NOT NULL,
      claim_id uuid NOT NULL,
      claimed_until timestamptz NOT NULL,
      response bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, method, key)
    )
  `.execute(db);
  await sql`CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at)`.execute(db);
}

export async function dropIdempotencyKeysTable(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE idempotency_keys`.execute(db);
}
