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

export interface NotificationDatabase {
  notifications: NotificationsTable;
  actors: ActorsTable;
  deleted_users: DeletedUsersTable;
  disabled_preferences: DisabledPreferencesTable;
  processed_events: ProcessedEventsTable;
}
