/** Rows to protobuf messages, in one place, so that no handler shapes a message by hand. */
import type { Session } from '@wren/contracts/user/v1/auth_service.js';
import type { FollowEntry } from '@wren/contracts/user/v1/follow_service.js';
import type { Account, Profile, UserSummary } from '@wren/contracts/user/v1/user.js';
import type { FollowEntryRow } from '../db/queries/follows.js';
import type { SessionRow } from '../db/queries/sessions.js';
import type { ProfileRow, UserRow, UserSummaryRow } from '../db/queries/users.js';

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    createdAt: row.created_at,
    followerCount: row.follower_count,
    followingCount: row.following_count,
  };
}

export function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    createdAt: row.created_at,
    followerCount: row.follower_count,
    followingCount: row.following_count,
    followedByViewer: row.followed_by_viewer,
    followsViewer: row.follows_viewer,
  };
}

export function toUserSummary(row: UserSummaryRow): UserSummary {
  return { id: row.id, username: row.username, displayName: row.display_name, avatarUrl: row.avatar_url };
}

export function toFollowEntry(row: FollowEntryRow): FollowEntry {
  return { user: toUserSummary(row), followedAt: row.followed_at };
}

export function toSession(row: SessionRow, currentSessionId: string): Session {
  return {
    id: row.id,
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    current: row.id === currentSessionId,
  };
}
