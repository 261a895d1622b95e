/**
 * The writes that keep post-service's replica of user-service in step, each made by the
 * event consumer in the transaction that records the event.
 */
import type { UserProfile } from '@wren/contracts/events/v1/events.js';
import type { Kysely } from 'kysely';
import type { PostDatabase } from '../schema.js';

/** An event's profile is authoritative: it replaces whatever the row held. */
export async function upsertAuthor(db: Kysely<PostDatabase>, profile: UserProfile, now: Date): Promise<void> {
  await db
    .insertInto('authors')
    .values({
      id: profile.userId,
      username: profile.username,
      display_name: profile.displayName,
      avatar_url: profile.avatarUrl,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        username: profile.username,
        display_name: profile.displayName,
        avatar_url: profile.avatarUrl,
        updated_at: now,
      }),
    )
    .execute();
}

export async function insertFollowEdge(
  db: Kysely<PostDatabase>,
  followerId: string,
  followeeId: string,
  followedAt: Date,
): Promise<void> {
  await db
    .insertInto('follows')
    .values({ follower_id: followerId, followee_id: followeeId, created_at: followedAt })
    .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing())
    .execute();
}

export async function deleteFollowEdge(
  db: Kysely<PostDatabase>,
  followerId: string,
  followeeId: string,
): Promise<void> {
  await db.deleteFrom('follows').where('follower_id', '=', followerId).where('followee_id', '=', followeeId).execute();
}

/** Removes a deleted user from the replica: their follow edges both ways, and them. */
export async function deleteReplicatedUser(db: Kysely<PostDatabase>, userId: string): Promise<void> {
  await db
    .deleteFrom('follows')
    .where((eb) => eb.or([eb('follower_id', '=', userId), eb('followee_id', '=', userId)]))
    .execute();
  await db.deleteFrom('authors').where('id', '=', userId).execute();
}
