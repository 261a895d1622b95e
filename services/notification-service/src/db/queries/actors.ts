/**
 * The replica of user-service that notifications show their actors from, written only by
 * the event consumer in the transaction that records the event.
 */
import type { UserProfile } from '@wren/contracts/events/v1/events.js';
import { type Kysely, sql } from 'kysely';
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
 * Fills in users this service has not heard of yet from a producer's copy (`Event.actors`),
 * never overwriting what user-service's own events said, nor bringing back a deleted user.
 */
export async function rememberUnknownActors(db: Kysely<NotificationDatabase>, profiles: UserProfile[]): Promise<void> {
  for (const profile of profiles) {
    await sql`
      INSERT INTO actors (id, username, display_name, avatar_url, updated_at)
      SELECT ${profile.userId}::uuid, ${profile.username}, ${profile.displayName}, ${profile.avatarUrl}, now()
       WHERE NOT EXISTS (SELECT 1 FROM deleted_users WHERE id = ${profile.userId}::uuid)
      ON CONFLICT (id) DO NOTHING
    `.execute(db);
  }
}

/**
 * Forgets a deleted account: its notifications either way, its preferences, its push
 * destinations, its profile;
 * a tombstone keeps late events from other producers from notifying about it again.
 */
export async function deleteUser(db: Kysely<NotificationDatabase>, userId: string): Promise<void> {
  await db
    .deleteFrom('notifications')
    .where((eb) => eb.or([eb('recipient_id', '=', userId), eb('actor_id', '=', userId)]))
    .execute();
  await db.deleteFrom('disabled_preferences').where('user_id', '=', userId).execute();
  // Its push destinations too: no other account may register them while they are held.
  await db.deleteFrom('web_push_subscriptions').where('user_id', '=', userId).execute();
  await db.deleteFrom('expo_push_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('actors').where('id', '=', userId).execute();
  await db
    .insertInto('deleted_users')
    .values({ id: userId })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
