/** The rules of following: who may follow whom, and what an answer shows afterwards. */
import { invalidArgument, notFound, type UserCaller } from '@wren/platform';
import type { Kysely } from 'kysely';
import { isForeignKeyViolation } from '../db/pg-errors.js';
import { deleteFollow, insertFollow, lockFollowPair } from '../db/queries/follows.js';
import type { ProfileRow } from '../db/queries/users.js';
import type { UserDatabase } from '../db/schema.js';
import { publish, userEvents } from './events.js';
import { profileByUsername } from './profiles.js';

/** CheckFollows answers for services that render many items at once; bounded all the same. */
export const MAX_CHECKED_FOLLOWEES = 1000;

/** Follows the user (a no-op when already followed); their profile with fresh counts. */
export async function followUser(db: Kysely<UserDatabase>, caller: UserCaller, username: string): Promise<ProfileRow> {
  const followee = await profileByUsername(db, username, caller.userId);
  if (followee.id === caller.userId)
    throw invalidArgument({ field: 'username', description: 'cannot follow yourself' });
  try {
    const followed = await db.transaction().execute(async (trx) => {
      await lockFollowPair(trx, caller.userId, followee.id);
      if (!(await insertFollow(trx, caller.userId, followee.id))) return false;
      await publish(trx, userEvents.followed(caller.userId, followee.id, new Date()));
      return true;
    });
    if (!followed) return followee;
  } catch (error) {
    // The account was deleted between the look-up and the insert.
    if (isForeignKeyViolation(error)) throw notFound('user not found', 'USER_NOT_FOUND');
    throw error;
  }
  // Read again after the write, so that the counts include it.
  return profileByUsername(db, followee.username, caller.userId);
}

/** Unfollows the user; unfollowing someone not followed (yourself included) changes nothing. */
export async function unfollowUser(
  db: Kysely<UserDatabase>,
  caller: UserCaller,
  username: string,
): Promise<ProfileRow> {
  const followee = await profileByUsername(db, username, caller.userId);
  const unfollowed = await db.transaction().execute(async (trx) => {
    await lockFollowPair(trx, caller.userId, followee.id);
    if (!(await deleteFollow(trx, caller.userId, followee.id))) return false;
    await publish(trx, userEvents.unfollowed(caller.userId, followee.id));
    return true;
  });
  if (!unfollowed) return followee;
  return profileByUsername(db, followee.username, caller.userId);
}
