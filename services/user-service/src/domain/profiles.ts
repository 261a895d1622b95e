/** Finding users by what clients know them by: a username in a path, or a batch of ids. */
import { FieldErrors, invalidArgument, isUuid, notFound } from '@wren/platform';
import type { Kysely } from 'kysely';
import { findProfile, type ProfileChanges, type ProfileRow, type UserRow, updateProfile } from '../db/queries/users.js';
import type { UserDatabase } from '../db/schema.js';
import { publish, userEvents } from './events.js';
import { normalizeUsername } from './validation.js';

export const MAX_SUMMARY_IDS = 100;
export const MAX_SUMMARY_USERNAMES = 100;

/**
 * The profile of a username, in any case. A string that cannot be a username is simply not
 * found (it never reaches SQL); only an empty one is a malformed request.
 */
export async function profileByUsername(
  db: Kysely<UserDatabase>,
  rawUsername: string,
  viewerId: string | undefined,
): Promise<ProfileRow> {
  if (rawUsername === '') throw invalidArgument({ field: 'username', description: 'is required' });
  const username = normalizeUsername(rawUsername);
  const profile = username === undefined ? undefined : await findProfile(db, { username }, viewerId);
  if (!profile) throw notFound('user not found', 'USER_NOT_FOUND');
  return profile;
}

/** Checked and de-duplicated look-up keys; usernames that cannot exist are dropped, like unknown ones. */
export function summaryKeys(
  userIds: readonly string[],
  usernames: readonly string[],
): { ids: string[]; usernames: string[] } {
  const errors = new FieldErrors();
  if (userIds.length > MAX_SUMMARY_IDS) errors.add('user_ids', `must hold at most ${MAX_SUMMARY_IDS} ids`);
  else if (!userIds.every(isUuid)) errors.add('user_ids', 'must hold only user ids (UUIDs)');
  if (usernames.length > MAX_SUMMARY_USERNAMES) {
    errors.add('usernames', `must hold at most ${MAX_SUMMARY_USERNAMES} usernames`);
  }
  errors.throwIfAny();
  const names = usernames.map(normalizeUsername).filter((name): name is string => name !== undefined);
  return { ids: [...new Set(userIds)], usernames: [...new Set(names)] };
}

/** Applies a checked patch and tells other services (they show names and avatars next to content). */
export async function updateOwnProfile(
  db: Kysely<UserDatabase>,
  userId: string,
  changes: ProfileChanges,
): Promise<UserRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const user = await updateProfile(trx, userId, changes, new Date());
    if (user) await publish(trx, userEvents.profileUpdated(user));
    return user;
  });
}
