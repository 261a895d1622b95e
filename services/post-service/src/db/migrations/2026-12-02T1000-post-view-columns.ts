import { type Kysely, sql } from 'kysely';

/**
 * A post's mentions and hashtags, stored on the post in the form its view needs. Reading
 * them per row from post_mentions (joined to authors for the names) and post_hashtags made
 * a home page of 10 cost 3.0 ms of PostgreSQL instead of 0.73 ms without them (pgbench,
 * one client, socfb-Reed98 with ≈ 10 posts per user): two correlated sub-selects and a
 * json_agg per row, on every read of every page. They change only when the post is written
 * (usernames never change), so the write pays once instead.
 *
 * post_mentions and post_hashtags stay: they are the indexes for "posts mentioning a user"
 * and "posts with a tag". `mentions` is `[{user_id, username}]` in text order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE posts
      ADD COLUMN mentions jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN hashtags text[] NOT NULL DEFAULT '{}'
  `.execute(db);
  await sql`
    UPDATE posts p
       SET mentions = COALESCE((
             SELECT jsonb_agg(jsonb_build_object('user_id', m.user_id, 'username', a.username) ORDER BY m.position)
               FROM post_mentions m JOIN authors a ON a.id = m.user_id
              WHERE m.post_id = p.id), '[]'),
           hashtags = ARRAY(SELECT h.tag FROM post_hashtags h WHERE h.post_id = p.id ORDER BY h.position)
     WHERE EXISTS (SELECT 1 FROM post_mentions m WHERE m.post_id = p.id)
        OR EXISTS (SELECT 1 FROM post_hashtags h WHERE h.post_id = p.id)
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE posts DROP COLUMN mentions, DROP COLUMN hashtags`.execute(db);
}
