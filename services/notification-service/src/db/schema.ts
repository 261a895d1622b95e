import type { ColumnType, Generated } from 'kysely';

export type NotificationTypeValue = 'follow' | 'like' | 'comment' | 'reply' | 'share' | 'mention';
export type ChannelValue = 'in_app' | 'web_push' | 'expo_push';

export interface NotificationsTable {
  id: string;
  recipient_id: string;
  type: NotificationTypeValue;
  actor_id: string;
  post_id: string | null;
  comment_id: string | null;
  excerpt: Generated<string>;
  created_at: Generated<Date>;
  read_at: Date | null;
  deleted_at: Date | null;
  group_key: ColumnType<string, never, never>;
}

export interface ActorsTable {
  id: string;
  username: string;
  display_name: string;
  avatar_url: string;
  updated_at: Generated<Date>;
}

export interface DeletedUsersTable {
  id: string;
  deleted_at: Generated<Date>;
}

export interface DisabledPreferencesTable {
  user_id: string;
  type: NotificationTypeValue;
  channel: ChannelValue;
}

export interface ProcessedEventsTable {
  event_id: string;
  processed_at: Generated<Date>;
}

export interface WebPushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ExpoPushTokensTable {
  token: string;
  user_id: string;
  created_at: Generated<Date>;
}

export type PushChannelValue = 'web_push' | 'expo_push';
export type DeliveryStatusValue = 'pending' | 'ticketed' | 'delivered' | 'failed' | 'gone';

export interface PushDeliveriesTable {
  id: string;
  notification_id: string;
  recipient_id: string;
  channel: PushChannelValue;
  /** The subscription id (web_push) or the Expo token (expo_push). */
  destination: string;
  status: Generated<DeliveryStatusValue>;
  attempts: Generated<number>;
  receipt_checks: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Date | null;
  last_error: string | null;
  ticket_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  finished_at: Date | null;
  /** W3C traceparent of the event that queued it ('' when untraced). */
  traceparent: Generated<string>;
}

export interface NotificationDatabase {
  web_push_subscriptions: WebPushSubscriptionsTable;
  expo_push_tokens: ExpoPushTokensTable;
  push_deliveries: PushDeliveriesTable;
  notifications: NotificationsTable;
  actors: ActorsTable;
  deleted_users: DeletedUsersTable;
  disabled_preferences: DisabledPreferencesTable;
  processed_events: ProcessedEventsTable;
}
