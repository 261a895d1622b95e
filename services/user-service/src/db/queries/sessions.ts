import type { Kysely, Selectable } from 'kysely';
import type { SessionsTable, UserDatabase } from '../schema.js';

export type SessionRow = Selectable<SessionsTable>;

/** Why a session ended; kept on the row for support and audits. */
export type RevokeReason = 'logout' | 'revoked_by_user' | 'password_changed' | 'refresh_token_reuse';

export interface NewSession {
  id: string;
  userId: string;
  userAgent: string;
  ip: string;
  now: Date;
  expiresAt: Date;
}

export async function insertSession(db: Kysely<UserDatabase>, session: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      user_agent: session.userAgent,
      ip: session.ip,
      created_at: session.now,
      last_used_at: session.now,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function insertRefreshToken(
  db: Kysely<UserDatabase>,
  token: { hash: Buffer; sessionId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({ token_hash: token.hash, session_id: token.sessionId, created_at: token.now, expires_at: token.expiresAt })
    .execute();
}

export interface LockedRefreshToken {
  session_id: string;
  user_id: string;
  expires_at: Date;
  spent_at: Date | null;
  session_expires_at: Date;
  session_revoked_at: Date | null;
}

/**
 * The token and its session, both locked until the transaction ends: two refreshes with
 * the same token run one after the other, so the second one sees the token spent.
 */
export async function lockRefreshToken(
  db: Kysely<UserDatabase>,
  hash: Buffer,
): Promise<LockedRefreshToken | undefined> {
  return db
    .selectFrom('refresh_tokens as t')
    .innerJoin('sessions as s', 's.id', 't.session_id')
    .select([
      't.session_id',
      's.user_id',
      't.expires_at',
      't.spent_at',
      's.expires_at as session_expires_at',
      's.revoked_at as session_revoked_at',
    ])
    .where('t.token_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRefreshTokenSpent(db: Kysely<UserDatabase>, hash: Buffer, now: Date): Promise<void> {
  await db.updateTable('refresh_tokens').set({ spent_at: now }).where('token_hash', '=', hash).execute();
}

/** Records use and slides the session's end forward with its newest refresh token. */
export async function touchSession(
  db: Kysely<UserDatabase>,
  sessionId: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_used_at: now, expires_at: expiresAt })
    .where('id', '=', sessionId)
    .execute();
}

/** Ends a session unless it already ended (the first reason is the one kept). */
export async function revokeSession(
  db: Kysely<UserDatabase>,
  sessionId: string,
  reason: RevokeReason,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Ends one of the user's own sessions. True when the user has such a session (even one that
 * had already ended, so that revoking twice is not an error); false for anyone else's.
 */
export async function revokeOwnSession(
  db: Kysely<UserDatabase>,
  userId: string,
  sessionId: string,
  reason: RevokeReason,
  now: Date,
): Promise<boolean> {
  const found = await db
    .selectFrom('sessions')
    .select('revoked_at')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!found) return false;
  await revokeSession(db, sessionId, reason, now);
  return true;
}

export async function revokeOtherSessions(
  db: Kysely<UserDatabase>,
  userId: string,
  keepSessionId: string,
  reason: RevokeReason,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: reason })
    .where('user_id', '=', userId)
    .where('id', '<>', keepSessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Whether the session exists, belongs to the user, and has neither been revoked nor expired. */
export async function isSessionActive(
  db: Kysely<UserDatabase>,
  userId: string,
  sessionId: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listActiveSessions(
  db: Kysely<UserDatabase>,
  userId: string,
  now: Date,
  limit: number,
): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_used_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Deletes sessions that ended (revoked or expired) before `cutoff`, with their refresh-token
 * chains (ON DELETE CASCADE). A live session keeps its whole chain: a spent token is how a
 * stolen copy is recognised.
 */
export async function purgeEndedSessions(db: Kysely<UserDatabase>, cutoff: Date, batch: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', 'in', (qb) =>
      qb
        .selectFrom('sessions')
        .select('id')
        .where((eb) => eb.or([eb('revoked_at', '<', cutoff), eb('expires_at', '<', cutoff)]))
        .limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
