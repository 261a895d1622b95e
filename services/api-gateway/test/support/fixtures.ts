/** Proto messages as user-service would answer them, for the scripted service. */
import type { Session, TokenPair } from '@wren/contracts/user/v1/auth_service.js';
import type { Account, Profile } from '@wren/contracts/user/v1/user.js';

export const CREATED_AT = new Date('2026-01-02T03:04:05.678Z');

export const account = (overrides: Partial<Account> = {}): Account => ({
  id: '0190f2a0-0000-7000-8000-000000000001',
  username: 'ada',
  email: 'ada@example.com',
  displayName: 'Ada',
  bio: '',
  avatarUrl: '',
  createdAt: CREATED_AT,
  followerCount: 2,
  followingCount: 1,
  ...overrides,
});

export const profile = (overrides: Partial<Profile> = {}): Profile => ({
  id: '0190f2a0-0000-7000-8000-000000000002',
  username: 'grace',
  displayName: 'Grace',
  bio: 'compilers',
  avatarUrl: 'https://img.example/grace.png',
  createdAt: CREATED_AT,
  followerCount: 10,
  followingCount: 3,
  followedByViewer: true,
  followsViewer: false,
  ...overrides,
});

export const tokenPair = (): TokenPair => ({
  accessToken: 'access.token.value',
  expiresIn: 900,
  refreshToken: 'refresh-token-value',
  refreshTokenExpiresAt: new Date('2026-02-01T00:00:00.000Z'),
});

export const session = (overrides: Partial<Session> = {}): Session => ({
  id: '0190f2a0-0000-7000-8000-0000000000aa',
  userAgent: 'test-agent/1.0',
  ip: '127.0.0.1',
  createdAt: CREATED_AT,
  lastUsedAt: new Date('2026-01-03T00:00:00.000Z'),
  current: true,
  ...overrides,
});
