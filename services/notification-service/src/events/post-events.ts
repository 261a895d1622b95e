/**
 * post-service's events: likes, comments and replies, shares and mentions become
 * notifications; deleted posts and comments take theirs with them. Who gets what is
 * decided here; the rules every notification obeys are in createNotifications.
 */
import type { EventHandlers } from '@wren/platform';
import { isUuid } from '@wren/platform';
import { deleteForComment, deleteForPost } from '../db/queries/notifications.js';
import type { NotificationDatabase } from '../db/schema.js';
import { createNotifications, type NotificationIntent } from '../domain/create-notifications.js';

export const postEventHandlers: EventHandlers<NotificationDatabase> = {
  async postMentioned(trx, { postId, authorId, mentionedUserIds, excerpt }) {
    await createNotifications(
      trx,
      mentionedUserIds.map((recipientId) => ({ recipientId, type: 'mention', actorId: authorId, postId, excerpt })),
    );
  },

  async postLiked(trx, { postId, postAuthorId, likerId, excerpt }) {
    await createNotifications(trx, [{ recipientId: postAuthorId, type: 'like', actorId: likerId, postId, excerpt }]);
  },

  async commentLiked(trx, { commentId, postId, commentAuthorId, likerId, excerpt }) {
    await createNotifications(trx, [
      { recipientId: commentAuthorId, type: 'like', actorId: likerId, postId, commentId, excerpt },
    ]);
  },

  async commentCreated(trx, comment) {
    const { commentId, postId, authorId, excerpt } = comment;
    const about = { actorId: authorId, postId, commentId, excerpt };
    const intents: NotificationIntent[] = [{ recipientId: comment.postAuthorId, type: 'comment', ...about }];
    if (comment.parentId !== '') intents.push({ recipientId: comment.parentAuthorId, type: 'reply', ...about });
    for (const recipientId of comment.mentionedUserIds) intents.push({ recipientId, type: 'mention', ...about });
    await createNotifications(trx, intents);
  },

  async postShared(trx, { postId, postAuthorId, sharerId, excerpt }) {
    await createNotifications(trx, [{ recipientId: postAuthorId, type: 'share', actorId: sharerId, postId, excerpt }]);
  },

  async postDeleted(trx, { postId }) {
    if (isUuid(postId)) await deleteForPost(trx, postId.toLowerCase());
  },

  async commentDeleted(trx, { commentId }) {
    if (isUuid(commentId)) await deleteForComment(trx, commentId.toLowerCase());
  },
};
