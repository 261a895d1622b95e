/**
 * What user-service tells other services (docs/architecture.md, Events): each event is written to the
 * outbox in the transaction of the change it describes, and the relay delivers it.
 */
import type { UserProfile } from '@wren/contracts/events/v1/events.js';
import { type EventPayload, publishEvents } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { UserRow } from '../db/queries/users.js';
import type { UserDatabase } from '../db/schema.js';

export const PRODUCER = 'user-service';

function profileOf(user: Pick<UserRow, 'id' | 'username' | 'display_name' | 'avatar_url'>): UserProfile {
  return { userId: user.id, username: user.username, displayName: user.display_name, avatarUrl: user.avatar_url };
}

export const userEvents = {
  registered: (user: UserRow): EventPayload => ({ $case: 'userRegistered', value: { profile: profileOf(user) } }),
  profileUpdated: (user: UserRow): EventPayload => ({
    $case: 'userProfileUpdated',
    value: { profile: profileOf(user) },
  }),
  deleted: (userId: string): EventPayload => ({ $case: 'userDeleted', value: { userId } }),
  followed: (followerId: string, followeeId: string, followedAt: Date): EventPayload => ({
    $case: 'userFollowed',
    value: { followerId, followeeId, followedAt },
  }),
  unfollowed: (followerId: string, followeeId: string): EventPayload => ({
    $case: 'userUnfollowed',
    value: { followerId, followeeId },
  }),
};

export function publish(trx: Kysely<UserDatabase>, ...payloads: EventPayload[]): Promise<void> {
  return publishEvents(trx, PRODUCER, payloads);
}
