/**
 * Fills the reference server's database with the data Wren holds after seeding: the same
 * users, follows and posts (in the same order, with the same created_at), read from
 * post-service's database (wren_posts) or passed in by a test. Home timelines are then built
 * as fan-out on write would have left them: every post in its author's and each follower's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { databaseUrl, withClient } from '../src/database.js';

export const REFERENCE_DATABASE = 'wren_reference';
const BATCH = 5000;

/** The name goes into DROP/CREATE DATABASE, which take no parameters: a plain identifier only. */
function checkedName(database: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`not a plain database name: "${database}"`);
  return database;
}

export interface ReferenceRows {
  users: Array<{ id: number; username: string }>;
  follows: Array<{ followee: number; follower: number }>;
  /** Oldest first: they get ascending ids in this order. */
  posts: Array<{ author: number; text: string; created_at: Date }>;
}

/** The bench's users are `username_<nodeId>`; the node id is the reference's user id. */
const nodeIdOf = (username: string) => Number(/^username_(\d+)$/.exec(username)?.[1] ?? Number.NaN);

/**
 * What post-service holds of the bench's users: its replica of users and follows, and the
 * posts (`database` is wren_posts but for tests, which give a scratch one of the same shape).
 */
export async function readWrenRows(serverUrl: string, database = 'wren_posts'): Promise<ReferenceRows> {
  return withClient(databaseUrl(serverUrl, database), async (client) => {
    const authors = await client.query<{ username: string }>(
      "SELECT username FROM authors WHERE username ~ '^username_[0-9]+$'",
    );
    const follows = await client.query<{ followee: string; follower: string }>(
      `SELECT e.username AS followee, r.username AS follower
         FROM follows f JOIN authors e ON e.id = f.followee_id JOIN authors r ON r.id = f.follower_id
        WHERE e.username ~ '^username_[0-9]+$' AND r.username ~ '^username_[0-9]+$'`,
    );
    // Post ids are UUIDv7: their order is the order they were written in.
    const posts = await client.query<{ username: string; text: string; created_at: Date }>(
      `SELECT a.username, p.text, p.created_at
         FROM posts p JOIN authors a ON a.id = p.author_id
        WHERE a.username ~ '^username_[0-9]+$'
        ORDER BY p.id`,
    );
    return {
      users: authors.rows.map((row) => ({ id: nodeIdOf(row.username), username: row.username })),
      follows: follows.rows.map((row) => ({ followee: nodeIdOf(row.followee), follower: nodeIdOf(row.follower) })),
      posts: posts.rows.map((row) => ({ author: nodeIdOf(row.username), text: row.text, created_at: row.created_at })),
    };
  });
}

function batches<T>(rows: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += BATCH) result.push(rows.slice(start, start + BATCH));
  return result;
}

export interface LoadedReference {
  /** The reference database's URL, for the server's DATABASE_URL. */
  url: string;
  counts: { users: number; follows: number; posts: number; home_timeline: number };
  seconds: number;
}

/** (Re)creates the database on the server at `serverUrl` and loads `rows` into it. */
export async function loadReference(
  serverUrl: string,
  rows: ReferenceRows,
  database = REFERENCE_DATABASE,
): Promise<LoadedReference> {
  const started = performance.now();
  checkedName(database);
  await withClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  });
  const url = databaseUrl(serverUrl, database);
  const schema = await readFile(join(import.meta.dirname, 'schema.sql'), 'utf8');
  const counts = await withClient(url, async (client) => {
    await client.query(schema);
    // Multi-row inserts from arrays: one statement per few thousand rows.
    for (const batch of batches(rows.users)) {
      await client.query('INSERT INTO users (id, username) SELECT * FROM unnest($1::int[], $2::text[])', [
        batch.map((user) => user.id),
        batch.map((user) => user.username),
      ]);
    }
    for (const batch of batches(rows.follows)) {
      await client.query('INSERT INTO follows (followee, follower) SELECT * FROM unnest($1::int[], $2::int[])', [
        batch.map((follow) => follow.followee),
        batch.map((follow) => follow.follower),
      ]);
    }
    for (const batch of batches(rows.posts)) {
      await client.query(
        `INSERT INTO posts (author, text, created_at)
         SELECT author, text, created_at
           FROM unnest($1::int[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS r(author, text, created_at, n)
          ORDER BY n`,
        [batch.map((post) => post.author), batch.map((post) => post.text), batch.map((post) => post.created_at)],
      );
    }
    await client.query(
      `INSERT INTO home_timeline (owner, post_id)
       SELECT f.follower, p.id FROM posts p JOIN follows f ON f.followee = p.author
       UNION ALL
       SELECT p.author, p.id FROM posts p`,
    );
    await client.query('ANALYZE');
    const { rows: counted } = await client.query<LoadedReference['counts']>(
      `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM follows) AS follows,
              (SELECT count(*)::int FROM posts) AS posts, (SELECT count(*)::int FROM home_timeline) AS home_timeline`,
    );
    return counted[0] as LoadedReference['counts'];
  });
  return { url, counts, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/** Drops the reference database (tests; the bench keeps it until the next run replaces it). */
export async function dropReference(serverUrl: string, database = REFERENCE_DATABASE): Promise<void> {
  await withClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${checkedName(database)} WITH (FORCE)`),
  );
}
