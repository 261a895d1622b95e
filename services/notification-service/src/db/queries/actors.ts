/**
 * The replica of user-service that notifications show their actors from, written only by
 * the event consumer in the transaction that records the event.
 */
import type { UserProfile } from '@wren/contracts/events/v1/events.js';
import type { Kysely } from 'kysely';
import type { NotificationDatabase } from '../schema.js';

/** An event's profile is authoritative: it replaces whatever the row held. */
export async function upsertActor(db: Kysely<NotificationDatabase>, profile: UserProfile, now: Date): Promise<void> {
  const values = {
    username: profile.username,
    display_name: profile.displayName,
    avatar_url: profile.avatarUrl,
    updated_at: now,
  };
  await db
    .insertInto('actors')
    .values({ id: profile.userId, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/**
 * Forgets a deleted account: its notifications either way, its preferences, its profile;
 * a tombstone keeps late events from other producers from notifying about it again.
 */
export async function deleteUser(db: Kysely<NotificationDatabase>, userId: string): Promise<void> {
  await db
    .deleteFrom('notifications')
    .where((eb) => eb.or([eb('recipient_id', '=', userId), eb('actor_id', '=', userId)]))
    .execute();
  await db.deleteFrom('disabled_preferences').where('user_id', '=', userId).execute();
  await db.deleteFrom('actors').where('id', '=', userId).execute();
  await db
    .insertInto('deleted_users')
    .values({ id: userId })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Which of these users are deleted accounts. */
export async function deletedAmong(db: Kysely<NotificationDatabase>, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('deleted_users').select('id').where('id', 'in', userIds).execute();
  return new Set(rows.map((row) => row.id));
}
