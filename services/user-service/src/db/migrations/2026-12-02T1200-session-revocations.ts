import { type Kysely, sql } from 'kysely';

/**
 * Every end of a session, recorded for the processes that verify access tokens without
 * asking user-service (ListRevokedSessions). Triggers write it, so no way of ending a
 * session — an UPDATE of revoked_at, or deleting a live session with its account — can
 * forget to. Rows are read in (txid, session_id) order below the oldest running
 * transaction, like the outbox, so a late commit is never skipped; the session janitor
 * deletes them once no access token of theirs can be valid.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE session_revocations (
      session_id uuid PRIMARY KEY,
      txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      revoked_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX session_revocations_order ON session_revocations (txid, session_id)`.execute(db);
  await sql`CREATE INDEX session_revocations_age ON session_revocations (revoked_at)`.execute(db);
  await sql`
    CREATE FUNCTION record_session_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO session_revocations (session_id) VALUES (OLD.id) ON CONFLICT (session_id) DO NOTHING;
      RETURN NULL;
    END
    $$
  `.execute(db);
  await sql`
    CREATE TRIGGER sessions_revoked AFTER UPDATE OF revoked_at ON sessions
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION record_session_revocation()
  `.execute(db);
  // A live session deleted with its account ends as surely as a revoked one. (An expired
  // session has no valid access token: each expires long before its session does.)
  await sql`
    CREATE TRIGGER sessions_deleted_live AFTER DELETE ON sessions
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND OLD.expires_at > now())
      EXECUTE FUNCTION record_session_revocation()
  `.execute(db);
  // Sessions revoked before this migration may still have unexpired access tokens (the
  // longest allowed access-token lifetime is an hour).
  await sql`
    INSERT INTO session_revocations (session_id, revoked_at)
    SELECT id, revoked_at FROM sessions WHERE revoked_at > now() - interval '2 hours'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER sessions_deleted_live ON sessions`.execute(db);
  await sql`DROP TRIGGER sessions_revoked ON sessions`.execute(db);
  await sql`DROP FUNCTION record_session_revocation()`.execute(db);
  await sql`DROP TABLE session_revocations`.execute(db);
}
