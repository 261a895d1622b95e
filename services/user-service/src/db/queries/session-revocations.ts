import { type Kysely, sql } from 'kysely';
import type { UserDatabase } from '../schema.js';

export interface RevocationRow {
  session_id: string;
  txid: string;
  revoked_at: Date;
}

/**
 * Revocations after (txid, sessionId) and since `since`, in commit order. Only rows below
 * the oldest transaction still running are read: a revocation that commits late has a
 * smaller txid than ones already read, and would otherwise be passed over for good.
 */
export async function listRevocationsAfter(
  db: Kysely<UserDatabase>,
  after: { txid: string; sessionId: string },
  since: Date,
  limit: number,
): Promise<RevocationRow[]> {
  const result = await sql<RevocationRow>`
    SELECT session_id, txid::text AS txid, revoked_at
      FROM session_revocations
     WHERE (txid, session_id) > (${after.txid}::xid8, ${after.sessionId}::uuid)
       AND txid < pg_snapshot_xmin(pg_current_snapshot())
       AND revoked_at > ${since}
     ORDER BY txid, session_id
     LIMIT ${limit}
  `.execute(db);
  return result.rows;
}

/** Deletes revocations older than `cutoff`: their access tokens have all expired. */
export async function purgeRevocations(db: Kysely<UserDatabase>, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom('session_revocations').where('revoked_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
