/**
 * Where every notification is born. The event handlers say who should hear about what;
 * this applies the rules that hold for all of them, in the event's transaction:
 *
 * - nobody is notified of their own action;
 * - ids that are not UUIDs, or a missing target, drop the notification (a malformed event
 *   must not block the feed forever);
 * - deleted accounts neither get nor cause notifications (their deletion may overtake a
 *   post-service event);
 * - a user who turned IN_APP off for a type gets no notification of that type at all: the
 *   row is the in-app notification;
 * - one row per (recipient, type, actor, target), ever: the uniqueness index turns a
 *   repeated like, follow or share into nothing.
 *
 * The pushes of exactly the notifications created now are queued here, in the same
 * transaction, for the recipients' enabled push channels.
 */
import { isUuid, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import { insertNotifications, type NotificationDraft } from '../db/queries/notifications.js';
import { deletedAndInAppOff } from '../db/queries/preferences.js';
import { announceNotifications } from '../db/queries/stream.js';
import type { NotificationDatabase, NotificationTypeValue } from '../db/schema.js';
import { enqueuePushes } from '../delivery/enqueue.js';
import { truncateExcerpt } from './excerpt.js';

export interface NotificationIntent {
  recipientId: string;
  type: NotificationTypeValue;
  actorId: string;
  postId?: string;
  commentId?: string;
  excerpt: string;
}

const optionalId = (value: string | undefined): string | null | false => {
  if (value === undefined || value === '') return null;
  return isUuid(value) ? value.toLowerCase() : false;
};

function toDraft(intent: NotificationIntent): NotificationDraft | undefined {
  const postId = optionalId(intent.postId);
  const commentId = optionalId(intent.commentId);
  if (!isUuid(intent.recipientId) || !isUuid(intent.actorId) || postId === false || commentId === false) {
    return undefined;
  }
  const recipientId = intent.recipientId.toLowerCase();
  const actorId = intent.actorId.toLowerCase();
  if (recipientId === actorId) return undefined;
  // Only a follow is about no post; anything else without one has nothing to point at.
  if (intent.type !== 'follow' && postId === null) return undefined;
  return {
    id: uuidv7(),
    recipient_id: recipientId,
    type: intent.type,
    actor_id: actorId,
    post_id: postId,
    comment_id: commentId,
    excerpt: truncateExcerpt(intent.excerpt),
  };
}

export async function createNotifications(
  db: Kysely<NotificationDatabase>,
  intents: NotificationIntent[],
): Promise<NotificationDraft[]> {
  const byKey = new Map<string, NotificationDraft>();
  for (const intent of intents) {
    const draft = toDraft(intent);
    if (!draft) continue;
    // The same user mentioned twice in one event is still one notification.
    const key = [draft.recipient_id, draft.type, draft.actor_id, draft.post_id, draft.comment_id].join('|');
    if (!byKey.has(key)) byKey.set(key, draft);
  }
  const drafts = [...byKey.values()];
  if (drafts.length === 0) return [];
  const people = [...new Set(drafts.flatMap((draft) => [draft.recipient_id, draft.actor_id]))];
  const recipients = [...new Set(drafts.map((draft) => draft.recipient_id))];
  const { deleted, inAppOff } = await deletedAndInAppOff(db, people, recipients);
  const wanted = drafts.filter(
    (draft) =>
      !deleted.has(draft.recipient_id) &&
      !deleted.has(draft.actor_id) &&
      !inAppOff.has(`${draft.recipient_id}:${draft.type}`),
  );
  const created = await insertNotifications(db, wanted);
  await enqueuePushes(db, created);
  // Live streams hear of them on commit, and only if the event's transaction commits.
  await announceNotifications(db, created);
  return created;
}
