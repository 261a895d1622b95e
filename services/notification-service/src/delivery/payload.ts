/** What a push says about a notification: the same words for Web Push and Expo. */
import { createHash } from 'node:crypto';
import type { PushNotificationRow } from '../db/queries/deliveries.js';

export interface PushPayload {
  title: string;
  body: string;
  url: string;
  notificationId: string;
  type: string;
}

/** RFC 8291 leaves about 4 KB for the record; 3 KB of JSON keeps clear of every push service's limit. */
export const MAX_PAYLOAD_BYTES = 3072;

const VERBS: Record<PushNotificationRow['type'], [title: string, body: string]> = {
  follow: ['New follower', 'started following you'],
  like: ['New like', 'liked your'],
  comment: ['New comment', 'commented on your post'],
  reply: ['New reply', 'replied to your comment'],
  share: ['New share', 'shared your post'],
  mention: ['You were mentioned', 'mentioned you'],
};

function actorName(row: PushNotificationRow): string {
  return row.display_name || (row.username ? `@${row.username}` : 'Someone');
}

function link(row: PushNotificationRow): string {
  if (row.type === 'follow') return row.username ? `/users/${row.username}` : `/users/${row.actor_id}`;
  const post = `/posts/${row.post_id}`;
  return row.comment_id ? `${post}#comment-${row.comment_id}` : post;
}

export function buildPayload(row: PushNotificationRow): PushPayload {
  const [title, verb] = VERBS[row.type];
  const what = row.type === 'like' ? `${verb} ${row.comment_id ? 'comment' : 'post'}` : verb;
  const excerpt = row.excerpt ? `: “${row.excerpt}”` : '';
  const payload = {
    title,
    body: `${actorName(row)} ${what}${excerpt}`,
    url: link(row),
    notificationId: row.id,
    type: row.type,
  };
  // Names and excerpts are bounded, but not by this limit: shorten the body until it fits.
  while (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES && payload.body.length > 1) {
    payload.body = `${[...payload.body].slice(0, -16).join('')}…`;
  }
  return payload;
}

/** Mentions and replies are a conversation waiting; the rest can wait for the device's next wake-up. */
export function urgencyOf(row: PushNotificationRow): 'high' | 'normal' {
  return row.type === 'mention' || row.type === 'reply' ? 'high' : 'normal';
}

/**
 * RFC 8030 §5.4: a newer message with the same topic replaces an undelivered older one. One
 * topic per group (likes and shares of one target) or notification: 32 base64url chars.
 */
export function topicOf(row: PushNotificationRow): string {
  return createHash('sha256').update(row.group_key).digest('base64url').slice(0, 32);
}
