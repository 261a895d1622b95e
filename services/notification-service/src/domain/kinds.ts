/** The contract's enums and the short names the database stores, both ways. */
import { Channel, NotificationType } from '@wren/contracts/notification/v1/notification.js';
import type { ChannelValue, NotificationTypeValue } from '../db/schema.js';

const TYPE_TO_DB: Partial<Record<NotificationType, NotificationTypeValue>> = {
  [NotificationType.NOTIFICATION_TYPE_FOLLOW]: 'follow',
  [NotificationType.NOTIFICATION_TYPE_LIKE]: 'like',
  [NotificationType.NOTIFICATION_TYPE_COMMENT]: 'comment',
  [NotificationType.NOTIFICATION_TYPE_REPLY]: 'reply',
  [NotificationType.NOTIFICATION_TYPE_SHARE]: 'share',
  [NotificationType.NOTIFICATION_TYPE_MENTION]: 'mention',
};

const CHANNEL_TO_DB: Partial<Record<Channel, ChannelValue>> = {
  [Channel.CHANNEL_IN_APP]: 'in_app',
  [Channel.CHANNEL_WEB_PUSH]: 'web_push',
  [Channel.CHANNEL_EXPO_PUSH]: 'expo_push',
};

/** Every type and channel, in the contract's order: the rows of the preference matrix. */
export const ALL_TYPES = Object.values(TYPE_TO_DB) as NotificationTypeValue[];
export const ALL_CHANNELS = Object.values(CHANNEL_TO_DB) as ChannelValue[];

/** undefined for UNSPECIFIED and values this build does not know. */
export const typeToDb = (type: NotificationType): NotificationTypeValue | undefined => TYPE_TO_DB[type];
export const channelToDb = (channel: Channel): ChannelValue | undefined => CHANNEL_TO_DB[channel];

export function typeFromDb(value: NotificationTypeValue): NotificationType {
  const found = Object.entries(TYPE_TO_DB).find(([, db]) => db === value);
  return (found?.[0] as NotificationType | undefined) ?? NotificationType.NOTIFICATION_TYPE_UNSPECIFIED;
}

export function channelFromDb(value: ChannelValue): Channel {
  const found = Object.entries(CHANNEL_TO_DB).find(([, db]) => db === value);
  return (found?.[0] as Channel | undefined) ?? Channel.CHANNEL_UNSPECIFIED;
}
