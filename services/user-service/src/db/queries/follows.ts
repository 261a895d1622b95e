import type { Kysely } from 'kysely';
import type { UserDatabase } from '../schema.js';

/** Where a page of a follow list starts: after this (followed_at, user id) pair. */
export interface FollowPageKey {
  followedAt: Date;
  userId: string;
}

export interface FollowEntryRow {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string;
  followed_at: Date;
}

/**
 * Locks both users' rows, in id order, before a follow or unfollow changes their counts. The
 * counting trigger updates the follower's row and then the followee's, so A following B
 * while B follows A would otherwise lock the same two rows in opposite orders: a deadlock.
 */
export async function lockFollowPair(db: Kysely<UserDatabase>, followerId: string, followeeId: string): Promise<void> {
  await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [followerId, followeeId])
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** True when a new follow was recorded, false when it already existed. */
export async function insertFollow(db: Kysely<UserDatabase>, followerId: string, followeeId: string): Promise<boolean> {
  const result = await db
    .insertInto('follows')
    .values({ follower_id: followerId, followee_id: followeeId })
    .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function deleteFollow(db: Kysely<UserDatabase>, followerId: string, followeeId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('follows')
    .where('follower_id', '=', followerId)
    .where('followee_id', '=', followeeId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * One page of a follow list, newest first. `side` is the column that holds the listed user
 * (`followee_id` = "who follows them"); the other column names the people listed. The order
 * (created_at, other id) is total because a pair follows at most once, and the key compares
 * exactly because created_at is stored at millisecond precision.
 */
async function followPage(
  db: Kysely<UserDatabase>,
  side: 'follower_id' | 'followee_id',
  userId: string,
  limit: number,
  after: FollowPageKey | undefined,
): Promise<FollowEntryRow[]> {
  const other = side === 'followee_id' ? 'f.follower_id' : 'f.followee_id';
  let query = db
    .selectFrom('follows as f')
    .innerJoin('users as u', 'u.id', other)
    .select(['u.id', 'u.username', 'u.display_name', 'u.avatar_url', 'f.created_at as followed_at'])
    .where(`f.${side}`, '=', userId);
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('f.created_at', other), '<', eb.tuple(after.followedAt, after.userId)));
  }
  return query.orderBy('f.created_at', 'desc').orderBy(other, 'desc').limit(limit).execute();
}

/** Who follows the user. */
export function listFollowers(
  db: Kysely<UserDatabase>,
  userId: string,
  limit: number,
  after: FollowPageKey | undefined,
): Promise<FollowEntryRow[]> {
  return followPage(db, 'followee_id', userId, limit, after);
}

/** Whom the user follows. */
export function listFollowing(
  db: Kysely<UserDatabase>,
  userId: string,
  limit: number,
  after: FollowPageKey | undefined,
): Promise<FollowEntryRow[]> {
  return followPage(db, 'follower_id', userId, limit, after);
}

/** The subset of `followeeIds` that `followerId` follows. */
export async function followedAmong(
  db: Kysely<UserDatabase>,
  followerId: string,
  followeeIds: readonly string[],
): Promise<string[]> {
  if (followeeIds.length === 0) return [];
  const rows = await db
    .selectFrom('follows')
    .select('followee_id')
    .where('follower_id', '=', followerId)
    .where('followee_id', 'in', followeeIds)
    .execute();
  return rows.map((row) => row.followee_id);
}
