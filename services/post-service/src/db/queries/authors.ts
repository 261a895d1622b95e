/**
 * Reads of the user replica (authors, follows). The single write, `insertAuthorIfMissing`,
 * fills the gap while the event feed has not yet delivered a freshly registered user; it
 * never overwrites a row, because a row from an event is at least as fresh.
 */
import { type Kysely, sql } from 'kysely';
import type { PostDatabase } from '../schema.js';

export interface AuthorRow {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string;
}

export async function findAuthorById(db: Kysely<PostDatabase>, id: string): Promise<AuthorRow | undefined> {
  return db
    .selectFrom('authors')
    .select(['id', 'username', 'display_name', 'avatar_url'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** `username` is compared lower-cased; the replica stores usernames lower-case. */
export async function findAuthorsByUsernames(
  db: Kysely<PostDatabase>,
  usernames: readonly string[],
): Promise<{ id: string; username: string }[]> {
  if (usernames.length === 0) return [];
  return db.selectFrom('authors').select(['id', 'username']).where('username', 'in', usernames).execute();
}

/** The author `id` and the users named `usernames` (lower-case), in one look-up. */
export async function findAuthorAndUsernames(
  db: Kysely<PostDatabase>,
  id: string,
  usernames: readonly string[],
): Promise<AuthorRow[]> {
  const { rows } = await sql<AuthorRow>`
    SELECT id, username, display_name, avatar_url FROM authors
     WHERE id = ${id}::uuid OR username = ANY(${[...usernames]}::text[])
  `.execute(db);
  return rows;
}

export async function insertAuthorIfMissing(db: Kysely<PostDatabase>, author: AuthorRow): Promise<void> {
  await db
    .insertInto('authors')
    .values(author)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function isFollowing(db: Kysely<PostDatabase>, followerId: string, followeeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('follows')
    .select('follower_id')
    .where('follower_id', '=', followerId)
    .where('followee_id', '=', followeeId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Those of `ids` who follow `followeeId`. */
export async function followersAmong(
  db: Kysely<PostDatabase>,
  followeeId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('follows')
    .select('follower_id')
    .where('followee_id', '=', followeeId)
    .where('follower_id', 'in', ids)
    .execute();
  return rows.map((row) => row.follower_id);
}

/** The replica's profiles of these users (those it knows). */
export async function findAuthorsByIds(db: Kysely<PostDatabase>, ids: readonly string[]): Promise<AuthorRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('authors')
    .select(['id', 'username', 'display_name', 'avatar_url'])
    .where('id', 'in', ids)
    .execute();
}
