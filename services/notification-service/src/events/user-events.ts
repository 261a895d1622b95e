/**
 * user-service's events: who actors are (the replica notifications show them from), follows,
 * and deleted accounts, which take their notifications and preferences with them.
 */
import type { EventHandlers } from '@wren/platform';
import { isUuid } from '@wren/platform';
import { deleteUser, upsertActor } from '../db/queries/actors.js';
import type { NotificationDatabase } from '../db/schema.js';
import { createNotifications } from '../domain/create-notifications.js';

export const userEventHandlers: EventHandlers<NotificationDatabase> = {
  async userRegistered(trx, { profile }, event) {
    if (profile && isUuid(profile.userId)) await upsertActor(trx, profile, event.occurredAt ?? new Date());
  },
  async userProfileUpdated(trx, { profile }, event) {
    if (profile && isUuid(profile.userId)) await upsertActor(trx, profile, event.occurredAt ?? new Date());
  },
  async userDeleted(trx, { userId }) {
    if (isUuid(userId)) await deleteUser(trx, userId.toLowerCase());
  },
  async userFollowed(trx, { followerId, followeeId }) {
    await createNotifications(trx, [{ recipientId: followeeId, type: 'follow', actorId: followerId, excerpt: '' }]);
  },
  // Nothing to do: the follow notification stays, and its row keeps a re-follow from
  // notifying again.
  async userUnfollowed() {},
};
