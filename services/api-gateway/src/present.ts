/**
 * Proto messages → API JSON, in one place: camelCase names, ISO-8601 timestamps, `null`
 * where proto3 can only say "empty". The services own the data; this file owns its shape.
 */

import type {
  Actor,
  Notification,
  NotificationGroup,
  NotificationType,
  Preference,
  Target,
} from '@wren/contracts/notification/v1/notification.js';
import {
  type Author,
  type Comment,
  type Post,
  type PostCounts,
  type PostRevision,
  type Share,
  type TimelineItem,
  Visibility,
} from '@wren/contracts/post/v1/post.js';
import type { Like } from '@wren/contracts/post/v1/reaction_service.js';
import type { Session, TokenPair } from '@wren/contracts/user/v1/auth_service.js';
import type { FollowEntry } from '@wren/contracts/user/v1/follow_service.js';
import type { Account, Profile, UserSummary } from '@wren/contracts/user/v1/user.js';
import type { Static } from 'typebox';
import { CHANNEL_NAMES, TYPE_NAMES } from './notification-kinds.js';
import type { AccountSchema } from './schemas/account.js';
import type { CommentSchema } from './schemas/comments.js';
import {
  CHANNELS,
  type ChannelName,
  NOTIFICATION_TYPES,
  type NotificationGroupSchema,
  type NotificationSchema,
  type NotificationTypeName,
  type PreferencesSchema,
  type TargetSchema,
} from './schemas/notifications.js';
import type { FollowEntrySchema } from './schemas/pages.js';
import type {
  LikePageSchema,
  PostCountsSchema,
  PostSchema,
  RevisionSchema,
  VisibilitySchema,
} from './schemas/posts.js';
import type { ProfileSchema, UserSummarySchema } from './schemas/profile.js';
import type { SessionSchema } from './schemas/sessions.js';
import type { ShareSchema, TimelineItemSchema } from './schemas/timelines.js';
import type { TokensSchema } from './schemas/tokens.js';

/** A reply that lacks a field the contract promises is a service bug: a 500, not a guess. */
export class ContractViolation extends Error {
  constructor(what: string) {
    super(`a service answered without ${what}`);
    this.name = 'ContractViolation';
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ContractViolation(what);
  return value;
}

const iso = (date: Date | undefined, what: string): string => required(date, what).toISOString();
const isoOrNull = (date: Date | undefined): string | null => date?.toISOString() ?? null;

// An avatar link of "" would make a client load its own page as an image.
const urlOrNull = (url: string): string | null => (url === '' ? null : url);

export function presentAccount(account: Account | undefined): Static<typeof AccountSchema> {
  const a = required(account, 'account');
  return {
    id: a.id,
    username: a.username,
    email: a.email,
    displayName: a.displayName,
    bio: a.bio,
    avatarUrl: urlOrNull(a.avatarUrl),
    createdAt: iso(a.createdAt, 'account.created_at'),
    followerCount: a.followerCount,
    followingCount: a.followingCount,
  };
}

/** `withViewer`: the call carried a token, so the viewer flags mean something. */
export function presentProfile(profile: Profile | undefined, withViewer: boolean): Static<typeof ProfileSchema> {
  const p = required(profile, 'profile');
  return {
    id: p.id,
    username: p.username,
    displayName: p.displayName,
    bio: p.bio,
    avatarUrl: urlOrNull(p.avatarUrl),
    createdAt: iso(p.createdAt, 'profile.created_at'),
    followerCount: p.followerCount,
    followingCount: p.followingCount,
    followedByViewer: withViewer ? p.followedByViewer : null,
    followsViewer: withViewer ? p.followsViewer : null,
  };
}

export function presentTokens(tokens: TokenPair | undefined): Static<typeof TokensSchema> {
  const t = required(tokens, 'tokens');
  return {
    accessToken: t.accessToken,
    tokenType: 'Bearer',
    expiresIn: t.expiresIn,
    refreshToken: t.refreshToken,
    refreshTokenExpiresAt: iso(t.refreshTokenExpiresAt, 'tokens.refresh_token_expires_at'),
  };
}

export function presentSession(session: Session): Static<typeof SessionSchema> {
  return {
    id: session.id,
    userAgent: session.userAgent,
    ip: session.ip,
    createdAt: iso(session.createdAt, 'session.created_at'),
    lastUsedAt: iso(session.lastUsedAt, 'session.last_used_at'),
    current: session.current,
  };
}

export function presentUserSummary(user: UserSummary | undefined): Static<typeof UserSummarySchema> {
  const u = required(user, 'user summary');
  return { id: u.id, username: u.username, displayName: u.displayName, avatarUrl: urlOrNull(u.avatarUrl) };
}

export function presentFollowEntry(entry: FollowEntry): Static<typeof FollowEntrySchema> {
  return { user: presentUserSummary(entry.user), followedAt: iso(entry.followedAt, 'follow.followed_at') };
}

// ── Posts, comments, likes, shares and timelines (wren.post.v1) ──

// post-service's Author has the shape of user-service's UserSummary.
const presentAuthor = (author: Author | undefined, what: string) => presentUserSummary(required(author, what));

const VISIBILITIES: Readonly<Partial<Record<Visibility, Static<typeof VisibilitySchema>>>> = {
  [Visibility.VISIBILITY_PUBLIC]: 'public',
  [Visibility.VISIBILITY_FOLLOWERS]: 'followers',
};

export function presentCounts(counts: PostCounts | undefined): Static<typeof PostCountsSchema> {
  const c = required(counts, 'post counts');
  return { likes: c.likes, comments: c.comments, shares: c.shares };
}

/** `withViewer`: the call carried a token, so the viewer flags mean something. */
export function presentPost(post: Post | undefined, withViewer: boolean): Static<typeof PostSchema> {
  const p = required(post, 'post');
  const visibility = VISIBILITIES[p.visibility];
  if (visibility === undefined) throw new ContractViolation(`a known visibility (got ${p.visibility})`);
  const viewer = required(p.viewer, 'post.viewer');
  return {
    id: p.id,
    author: presentAuthor(p.author, 'post.author'),
    text: p.text,
    visibility,
    createdAt: iso(p.createdAt, 'post.created_at'),
    editedAt: isoOrNull(p.editedAt),
    counts: presentCounts(p.counts),
    viewer: withViewer ? { liked: viewer.liked, shared: viewer.shared } : { liked: null, shared: null },
    mentions: p.mentions.map((mention) => ({ userId: mention.userId, username: mention.username })),
    hashtags: [...p.hashtags],
  };
}

export function presentRevision(revision: PostRevision): Static<typeof RevisionSchema> {
  return {
    text: revision.text,
    writtenAt: iso(revision.writtenAt, 'revision.written_at'),
    replacedAt: iso(revision.replacedAt, 'revision.replaced_at'),
  };
}

export function presentShare(share: Share | undefined, withViewer: boolean): Static<typeof ShareSchema> {
  const s = required(share, 'share');
  return {
    id: s.id,
    sharer: presentAuthor(s.sharer, 'share.sharer'),
    quote: s.quote === '' ? null : s.quote,
    createdAt: iso(s.createdAt, 'share.created_at'),
    post: presentPost(s.post, withViewer),
  };
}

export function presentTimelineItem(item: TimelineItem, withViewer: boolean): Static<typeof TimelineItemSchema> {
  switch (item.item?.$case) {
    case 'post':
      return { type: 'post', post: presentPost(item.item.value, withViewer) };
    case 'share':
      return { type: 'share', share: presentShare(item.item.value, withViewer) };
    default:
      throw new ContractViolation('a timeline item (neither post nor share)');
  }
}

export function presentComment(comment: Comment | undefined, withViewer: boolean): Static<typeof CommentSchema> {
  const c = required(comment, 'comment');
  return {
    id: c.id,
    postId: c.postId,
    parentId: c.parentId === '' ? null : c.parentId,
    author: presentAuthor(c.author, 'comment.author'),
    text: c.text,
    createdAt: iso(c.createdAt, 'comment.created_at'),
    editedAt: isoOrNull(c.editedAt),
    likeCount: c.likeCount,
    replyCount: c.replyCount,
    likedByViewer: withViewer ? c.likedByViewer : null,
  };
}

export function presentLike(like: Like): Static<typeof LikePageSchema>['items'][number] {
  return { user: presentAuthor(like.user, 'like.user'), likedAt: iso(like.likedAt, 'like.liked_at') };
}

// ── Notifications (wren.notification.v1) ──

function typeName(type: NotificationType): NotificationTypeName {
  const name = TYPE_NAMES[type];
  if (name === undefined) throw new ContractViolation(`a known notification type (got ${type})`);
  return name;
}

// notification-service's Actor has the shape of user-service's UserSummary.
const presentActor = (actor: Actor | undefined, what: string) => presentUserSummary(required(actor, what));

/** proto3 cannot say "no target": a follow has a Target with neither id, or none at all. */
function presentTarget(target: Target | undefined): Static<typeof TargetSchema> {
  if (target === undefined || (target.postId === '' && target.commentId === '')) return null;
  return {
    postId: target.postId === '' ? null : target.postId,
    commentId: target.commentId === '' ? null : target.commentId,
    excerpt: target.excerpt,
  };
}

export function presentNotification(n: Notification): Static<typeof NotificationSchema> {
  return {
    id: n.id,
    type: typeName(n.type),
    actor: presentActor(n.actor, 'notification.actor'),
    target: presentTarget(n.target),
    createdAt: iso(n.createdAt, 'notification.created_at'),
    read: n.read,
  };
}

export function presentNotificationGroup(g: NotificationGroup): Static<typeof NotificationGroupSchema> {
  return {
    type: typeName(g.type),
    target: presentTarget(g.target),
    latestActors: g.latestActors.map((actor) => presentActor(actor, 'group.latest_actors')),
    actorCount: g.actorCount,
    latestAt: iso(g.latestAt, 'group.latest_at'),
    read: g.read,
    latestNotificationId: g.latestNotificationId,
  };
}

/**
 * The service's list of cells → `{type: {channel: enabled}}`. The contract promises the whole
 * matrix, so a missing cell is a service bug; cells of types or channels this gateway does
 * not know yet (a newer service) are left out.
 */
export function presentPreferences(preferences: readonly Preference[]): Static<typeof PreferencesSchema> {
  const cells = new Map<string, boolean>();
  for (const { type, channel, enabled } of preferences) {
    const name = TYPE_NAMES[type];
    const channelName = CHANNEL_NAMES[channel];
    if (name !== undefined && channelName !== undefined) cells.set(`${name}.${channelName}`, enabled);
  }
  const row = (type: NotificationTypeName) =>
    Object.fromEntries(
      CHANNELS.map((channel) => [channel, required(cells.get(`${type}.${channel}`), `preference ${type}.${channel}`)]),
    ) as Record<ChannelName, boolean>;
  return {
    preferences: Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, row(type)])) as Static<
      typeof PreferencesSchema
    >['preferences'],
  };
}
