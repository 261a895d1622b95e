/** Proto messages as notification-service would answer them, for the scripted service. */
import {
  Channel,
  type Notification,
  type NotificationGroup,
  NotificationType,
  type Preference,
} from '@wren/contracts/notification/v1/notification.js';
import { CREATED_AT } from './fixtures.js';
import { COMMENT_ID, POST_ID } from './post-fixtures.js';

export const NOTIFICATION_ID = '0190f2a0-0000-7000-8000-0000000000e1';
export const OTHER_NOTIFICATION_ID = '0190f2a0-0000-7000-8000-0000000000e2';

export const actor = {
  id: '0190f2a0-0000-7000-8000-000000000002',
  username: 'grace',
  displayName: 'Grace',
  avatarUrl: 'https://img.example/grace.png',
};

export const notification = (overrides: Partial<Notification> = {}): Notification => ({
  id: NOTIFICATION_ID,
  type: NotificationType.NOTIFICATION_TYPE_COMMENT,
  actor,
  target: { postId: POST_ID, commentId: COMMENT_ID, excerpt: 'nice post' },
  createdAt: CREATED_AT,
  read: false,
  ...overrides,
});

export const group = (overrides: Partial<NotificationGroup> = {}): NotificationGroup => ({
  type: NotificationType.NOTIFICATION_TYPE_LIKE,
  target: { postId: POST_ID, commentId: '', excerpt: 'hello' },
  latestActors: [actor, { ...actor, id: '0190f2a0-0000-7000-8000-000000000003', username: 'ana', avatarUrl: '' }],
  actorCount: 4,
  latestAt: CREATED_AT,
  read: false,
  latestNotificationId: NOTIFICATION_ID,
  ...overrides,
});

const TYPES = [
  NotificationType.NOTIFICATION_TYPE_FOLLOW,
  NotificationType.NOTIFICATION_TYPE_LIKE,
  NotificationType.NOTIFICATION_TYPE_COMMENT,
  NotificationType.NOTIFICATION_TYPE_REPLY,
  NotificationType.NOTIFICATION_TYPE_SHARE,
  NotificationType.NOTIFICATION_TYPE_MENTION,
];
const CHANNELS = [Channel.CHANNEL_IN_APP, Channel.CHANNEL_WEB_PUSH, Channel.CHANNEL_EXPO_PUSH];

/** The whole matrix, as the service keeps it: every cell on, except those given. */
export function preferenceMatrix(off: readonly Omit<Preference, 'enabled'>[] = []): Preference[] {
  return TYPES.flatMap((type) =>
    CHANNELS.map((channel) => ({
      type,
      channel,
      enabled: !off.some((cell) => cell.type === type && cell.channel === channel),
    })),
  );
}

export const ALL_ON = {
  follow: { inApp: true, webPush: true, expoPush: true },
  like: { inApp: true, webPush: true, expoPush: true },
  comment: { inApp: true, webPush: true, expoPush: true },
  reply: { inApp: true, webPush: true, expoPush: true },
  share: { inApp: true, webPush: true, expoPush: true },
  mention: { inApp: true, webPush: true, expoPush: true },
};
