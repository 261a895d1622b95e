/**
 * The reference server's SQL: one statement per timeline page, and one transaction of two
 * writes per post. Named statements, so each pooled connection parses and plans them once,
 * as Wren's services do (packages/platform/src/db/prepared-statements.ts) — not a tuning
 * trick but what any pg client does with a name. pgbench/*.sql runs the same statements.
 */
import type pg from 'pg';

export interface PostRow {
  id: string;
  username: string;
  text: string;
  created_at: Date;
}

/** The cursor of the first page: larger than every post id, so the filter keeps everything. */
export const NO_CURSOR = '9223372036854775807';

/** A range scan of the viewer's home timeline (limit + 1 rows, to know whether a next page exists). */
export async function homePage(pool: pg.Pool, viewer: number, before: string, rows: number): Promise<PostRow[]> {
  const result = await pool.query<PostRow>({
    name: 'home_page',
    text: `SELECT p.id, u.username, p.text, p.created_at
             FROM home_timeline h
             JOIN posts p ON p.id = h.post_id
             JOIN users u ON u.id = p.author
            WHERE h.owner = $1 AND h.post_id < $2
            ORDER BY h.post_id DESC
            LIMIT $3`,
    values: [viewer, before, rows],
  });
  return result.rows;
}

/**
 * The author by username and their posts, newest first. No row: no such user (404); one row
 * of nulls: a user without posts (the lateral join keeps the author).
 */
export async function userPage(
  pool: pg.Pool,
  username: string,
  before: string,
  rows: number,
): Promise<Array<PostRow | { id: null }> | undefined> {
  const result = await pool.query<PostRow | { id: null }>({
    name: 'user_page',
    text: `SELECT p.id, u.username, p.text, p.created_at
             FROM users u
             LEFT JOIN LATERAL (
               SELECT id, text, created_at FROM posts
                WHERE author = u.id AND id < $2
                ORDER BY id DESC
                LIMIT $3
             ) p ON true
            WHERE u.username = $1
            ORDER BY p.id DESC`,
    values: [username, before, rows],
  });
  if (result.rows.length === 0) return undefined;
  return result.rows.filter((row) => row.id !== null);
}

/**
 * A new post and its fan-out on write, in one transaction: the post, then its copy in the
 * home timeline of every follower and of the author (Wren's insertFeedItem does the same).
 * Undefined when the token's user does not exist (nothing is written).
 */
export async function createPost(pool: pg.Pool, author: number, text: string): Promise<PostRow | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query<PostRow>({
      name: 'insert_post',
      text: `WITH author AS (SELECT id, username FROM users WHERE id = $1),
                  post AS (INSERT INTO posts (author, text) SELECT id, $2 FROM author RETURNING id, text, created_at)
             SELECT post.id, author.username, post.text, post.created_at FROM post, author`,
      values: [author, text],
    });
    const post = inserted.rows[0];
    if (post) {
      await client.query({
        name: 'fan_out',
        text: `INSERT INTO home_timeline (owner, post_id)
               SELECT follower, $2::bigint FROM follows WHERE followee = $1
               UNION ALL
               SELECT $1::int, $2::bigint`,
        values: [author, post.id],
      });
    }
    await client.query('COMMIT');
    return post;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
