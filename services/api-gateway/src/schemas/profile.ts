import { Type } from 'typebox';
import { Timestamp, Username } from './account.js';

export const ProfileSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    bio: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    followerCount: Type.Integer(),
    followingCount: Type.Integer(),
    followedByViewer: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Whether you follow this user; null without an access token.',
    }),
    followsViewer: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Whether this user follows you; null without an access token.',
    }),
  },
  { additionalProperties: false, description: 'A user as anyone may see them.' },
);

export const UserSummarySchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const UsernameParams = Type.Object({ username: Username }, { additionalProperties: false });
