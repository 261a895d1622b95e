/** Your notifications, their grouped view, read markers, and the type × channel preferences. */
import { Type } from 'typebox';
import { Timestamp } from './account.js';
import { UUID_PATTERN, Uuid } from './ids.js';
import { NextCursor, PageQuery } from './pages.js';
import { UserSummarySchema } from './profile.js';

export const NOTIFICATION_TYPES = ['follow', 'like', 'comment', 'reply', 'share', 'mention'] as const;
export type NotificationTypeName = (typeof NOTIFICATION_TYPES)[number];

export const CHANNELS = ['inApp', 'webPush', 'expoPush'] as const;
export type ChannelName = (typeof CHANNELS)[number];

// The most ids one POST /v1/notifications/read takes (the service's limit too).
export const MAX_READ_IDS = 100;

export const NotificationTypeSchema = Type.Enum([...NOTIFICATION_TYPES]);

export const NotificationListQuery = Type.Object(
  {
    ...PageQuery.properties,
    types: Type.Optional(
      Type.Array(NotificationTypeSchema, {
        minItems: 1,
        maxItems: NOTIFICATION_TYPES.length,
        description: 'Only these types: repeat the parameter (`types=like&types=share`, or `types[]=like`).',
      }),
    ),
    unread: Type.Optional(Type.Boolean({ description: '`true`: only unread notifications.' })),
  },
  { additionalProperties: false },
);

export const TargetSchema = Type.Union(
  [
    Type.Object(
      {
        postId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
        commentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
          description: 'Set when the notification is about a comment (on the post `postId`).',
        }),
        excerpt: Type.String({ description: 'The start of the post’s or comment’s text.' }),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'What it is about; null for a follow.' },
);

export const NotificationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: NotificationTypeSchema,
    actor: UserSummarySchema,
    target: TargetSchema,
    createdAt: Timestamp,
    read: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const NotificationPageSchema = Type.Object(
  { items: Type.Array(NotificationSchema), nextCursor: NextCursor },
  { additionalProperties: false, description: 'Your notifications, newest first.' },
);

export const NotificationGroupSchema = Type.Object(
  {
    type: NotificationTypeSchema,
    target: TargetSchema,
    latestActors: Type.Array(UserSummarySchema, { description: 'The most recent actors first, at most 3.' }),
    actorCount: Type.Integer({ description: 'How many people did it ("Ana and 3 others").' }),
    latestAt: Timestamp,
    read: Type.Boolean({ description: 'False while any notification of the group is unread.' }),
    latestNotificationId: Type.String({
      format: 'uuid',
      description: 'The newest notification of the group (for `POST /v1/notifications/read` `upTo`).',
    }),
  },
  { additionalProperties: false },
);

export const NotificationGroupPageSchema = Type.Object(
  { items: Type.Array(NotificationGroupSchema), nextCursor: NextCursor },
  {
    additionalProperties: false,
    description: 'Likes and shares of the same target grouped; other types one per group. Newest first.',
  },
);

export const UnreadCountSchema = Type.Object(
  { count: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false, description: 'How many of your notifications are unread.' },
);

export const MarkReadBody = Type.Object(
  {
    ids: Type.Optional(
      Type.Array(Uuid, { minItems: 1, maxItems: MAX_READ_IDS, description: 'These notifications (at most 100).' }),
    ),
    upTo: Type.Optional(
      Type.String({
        pattern: UUID_PATTERN,
        description: 'Or: every notification up to and including this one, in newest-first order.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Exactly one of `ids` and `upTo`.' },
);

export const MarkedSchema = Type.Object(
  { marked: Type.Integer({ minimum: 0, description: 'How many changed from unread to read.' }) },
  { additionalProperties: false },
);

const ChannelsSchema = Type.Object(
  { inApp: Type.Boolean(), webPush: Type.Boolean(), expoPush: Type.Boolean() },
  { additionalProperties: false },
);

const ChannelChanges = Type.Optional(
  Type.Object(
    {
      inApp: Type.Optional(Type.Boolean()),
      webPush: Type.Optional(Type.Boolean()),
      expoPush: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, minProperties: 1 },
  ),
);

export const PreferencesSchema = Type.Object(
  {
    preferences: Type.Object(
      {
        follow: ChannelsSchema,
        like: ChannelsSchema,
        comment: ChannelsSchema,
        reply: ChannelsSchema,
        share: ChannelsSchema,
        mention: ChannelsSchema,
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: 'For each type, whether it reaches you in the app, by Web Push and by Expo push. All on by default.',
  },
);

export const UpdatePreferencesBody = Type.Object(
  {
    preferences: Type.Object(
      {
        follow: ChannelChanges,
        like: ChannelChanges,
        comment: ChannelChanges,
        reply: ChannelChanges,
        share: ChannelChanges,
        mention: ChannelChanges,
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  {
    additionalProperties: false,
    description: 'Only the cells given change, e.g. `{"preferences": {"like": {"webPush": false}}}`.',
  },
);
