import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      -- Stored lower-cased: usernames are unique whatever their case. Constraints are named
      -- because the service tells a taken username from a taken email by the name.
      username text NOT NULL CONSTRAINT users_username_unique UNIQUE
        CHECK (username ~ '^[a-z0-9_]{3,30}$'),
      email text NOT NULL CONSTRAINT users_email_unique UNIQUE
        CHECK (email = lower(email) AND char_length(email) <= 254),
      password_hash text NOT NULL,
      -- The service validates these; the checks keep a bug from storing unbounded text.
      display_name text NOT NULL DEFAULT '' CHECK (char_length(display_name) <= 50),
      bio text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 300),
      avatar_url text NOT NULL DEFAULT '' CHECK (char_length(avatar_url) <= 2048),
      -- Kept by the follows triggers below, so profile reads never count rows.
      follower_count integer NOT NULL DEFAULT 0,
      following_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      user_agent text NOT NULL DEFAULT '',
      ip text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoke_reason text
    )
  `.execute(db);
  await sql`CREATE INDEX sessions_active_by_user ON sessions (user_id, last_used_at DESC) WHERE revoked_at IS NULL`.execute(
    db,
  );

  // One row per refresh token ever issued: a spent token presented again is how reuse is seen.
  await sql`
    CREATE TABLE refresh_tokens (
      token_hash bytea PRIMARY KEY,
      session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      spent_at timestamptz
    )
  `.execute(db);
  await sql`CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id)`.execute(db);

  await sql`
    CREATE TABLE follows (
      follower_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      followee_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      -- Millisecond precision, enforced: follower lists page by (created_at, user id) and the
      -- cursor carries created_at through a JS Date, which has no microseconds. A value
      -- rounded on the way would make a page skip or repeat rows.
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
        CHECK (created_at = date_trunc('milliseconds', created_at)),
      PRIMARY KEY (follower_id, followee_id),
      CHECK (follower_id <> followee_id)
    )
  `.execute(db);
  await sql`CREATE INDEX follows_followers_page ON follows (followee_id, created_at DESC, follower_id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX follows_following_page ON follows (follower_id, created_at DESC, followee_id DESC)`.execute(
    db,
  );

  await sql`
    CREATE FUNCTION follows_keep_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE users SET following_count = following_count + 1 WHERE id = NEW.follower_id;
        UPDATE users SET follower_count = follower_count + 1 WHERE id = NEW.followee_id;
        RETURN NEW;
      ELSE
        UPDATE users SET following_count = following_count - 1 WHERE id = OLD.follower_id;
        UPDATE users SET follower_count = follower_count - 1 WHERE id = OLD.followee_id;
        RETURN OLD;
      END IF;
    END
    $$
  `.execute(db);
  await sql`
    CREATE TRIGGER follows_counts AFTER INSERT OR DELETE ON follows
    FOR EACH ROW EXECUTE FUNCTION follows_keep_counts()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE follows, refresh_tokens, sessions, users`.execute(db);
  await sql`DROP FUNCTION follows_keep_counts`.execute(db);
}
