/**
 * Proto messages → API JSON, in one place: camelCase names, ISO-8601 timestamps, `null`
 * where proto3 can only say "empty". The services own the data; this file owns its shape.
 */
import type { Session, TokenPair } from '@wren/contracts/user/v1/auth_service.js';
import type { FollowEntry } from '@wren/contracts/user/v1/follow_service.js';
import type { Account, Profile, UserSummary } from '@wren/contracts/user/v1/user.js';
import type { Static } from 'typebox';
import type { AccountSchema } from './schemas/account.js';
import type { FollowEntrySchema } from './schemas/pages.js';
import type { ProfileSchema, UserSummarySchema } from './schemas/profile.js';
import type { SessionSchema } from './schemas/sessions.js';
import type { TokensSchema } from './schemas/tokens.js';

/** A reply that lacks a field the contract promises is a service bug: a 500, not a guess. */
export class ContractViolation extends Error {
  constructor(what: string) {
    super(`user-service answered without ${what}`);
    this.name = 'ContractViolation';
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ContractViolation(what);
  return value;
}

const iso = (date: Date | undefined, what: string): string => required(date, what).toISOString();

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
