/** The API's names of notification types and channels ↔ the proto enums, both ways. */
import { Channel, NotificationType } from '@wren/contracts/notification/v1/notification.js';
import type { ChannelName, NotificationTypeName } from './schemas/notifications.js';

/** API type names ↔ proto enum values; routes map filters and preference cells with these. */
export const NOTIFICATION_TYPE_OF: Readonly<Record<NotificationTypeName, NotificationType>> = {
  follow: NotificationType.NOTIFICATION_TYPE_FOLLOW,
  like: NotificationType.NOTIFICATION_TYPE_LIKE,
  comment: NotificationType.NOTIFICATION_TYPE_COMMENT,
  reply: NotificationType.NOTIFICATION_TYPE_REPLY,
  share: NotificationType.NOTIFICATION_TYPE_SHARE,
  mention: NotificationType.NOTIFICATION_TYPE_MENTION,
};
export const CHANNEL_OF: Readonly<Record<ChannelName, Channel>> = {
  inApp: Channel.CHANNEL_IN_APP,
  webPush: Channel.CHANNEL_WEB_PUSH,
  expoPush: Channel.CHANNEL_EXPO_PUSH,
};
const invert = <K extends string, V extends string>(table: Readonly<Record<K, V>>): Partial<Record<V, K>> =>
  Object.fromEntries(Object.entries(table).map(([name, value]) => [value, name])) as Partial<Record<V, K>>;
export const TYPE_NAMES = invert(NOTIFICATION_TYPE_OF);
export const CHANNEL_NAMES = invert(CHANNEL_OF);
