/**
 * What post-service does with user-service's events: it keeps its own copy of authors and
 * of the follow graph (so timeline reads never call user-service) with the home feeds it
 * feeds, and removes a deleted
 * account's content. Each runs in the transaction that records the event as processed.
 */
import type { EventHandlers } from '@wren/platform';
import { copyIntoHomeFeed, deleteHomeFeed, removeFromHomeFeed } from '../db/queries/feed.js';
import { deleteFollowEdge, deleteReplicatedUser, insertFollowEdge, upsertAuthor } from '../db/queries/replica.js';
import type { PostDatabase } from '../db/schema.js';
import { deleteAllContentOf } from '../domain/user-content.js';

export const userEventHandlers: EventHandlers<PostDatabase> = {
  async userRegistered(trx, { profile }, event) {
    if (profile) await upsertAuthor(trx, profile, event.occurredAt ?? new Date());
  },
  async userProfileUpdated(trx, { profile }, event) {
    if (profile) await upsertAuthor(trx, profile, event.occurredAt ?? new Date());
  },
  async userFollowed(trx, { followerId, followeeId, followedAt }, event) {
    await insertFollowEdge(trx, followerId, followeeId, followedAt ?? event.occurredAt ?? new Date());
    await copyIntoHomeFeed(trx, followerId, followeeId);
  },
  async userUnfollowed(trx, { followerId, followeeId }) {
    await deleteFollowEdge(trx, followerId, followeeId);
    await removeFromHomeFeed(trx, followerId, followeeId);
  },
  async userDeleted(trx, { userId }) {
    await deleteAllContentOf(trx, userId);
    await deleteHomeFeed(trx, userId);
    await deleteReplicatedUser(trx, userId);
  },
};
