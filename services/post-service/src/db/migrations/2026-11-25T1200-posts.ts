import { type Kysely, sql } from 'kysely';

// The post-service grows its schema in later migrations; this is where posts start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE posts (
      id uuid PRIMARY KEY,
      author_id uuid NOT NULL,
      text text NOT NULL,
      visibility text NOT NULL CHECK (visibility IN ('public', 'followers')),
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_at timestamptz
    )
  `.execute(db);
  await sql`CREATE INDEX posts_by_author ON posts (author_id, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE posts`.execute(db);
}
