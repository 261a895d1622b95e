/**
 * post-service's events: likes, comments and replies, shares and mentions become
 * notifications; deleted posts and comments take theirs with them. Who gets what is
 * decided here; the rules every notification obeys are in createNotifications.
 */
import type { EventHandlers } from '@wren/platform';
import { isUuid } from '@wren/platform';
import { deleteForComment, deleteForPost } from '../db/queries/notifications.js';
import type { NotificationDatabase, NotificationTypeValue } from '../db/schema.js';
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
    // One notification per person per comment, of the most specific kind: a reply to your
    // comment says more than a comment on your post, which says more than a mention in it
    // (the post's author @mentioned in a comment on their post hears of one comment, once).
    const kinds = new Map<string, NotificationTypeValue>();
    const tell = (recipientId: string, type: NotificationTypeValue) => {
      const key = recipientId.toLowerCase();
      if (key !== '' && !kinds.has(key)) kinds.set(key, type);
    };
    if (comment.parentId !== '') tell(comment.parentAuthorId, 'reply');
    tell(comment.postAuthorId, 'comment');
    for (const recipientId of comment.mentionedUserIds) tell(recipientId, 'mention');
    const intents: NotificationIntent[] = [...kinds].map(([recipientId, type]) => ({
      recipientId,
      type,
      actorId: authorId,
      postId,
      commentId,
      excerpt,
    }));
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
