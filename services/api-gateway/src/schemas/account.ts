/**
 * Accounts and the credentials that make them. Limits here are the outer bounds of shape;
 * user-service decides what is acceptable (password strength, reserved names).
 */
import { Type } from 'typebox';

export const USERNAME_PATTERN = '^[A-Za-z0-9_]{1,30}$';

export const Username = Type.String({ maxLength: 30, pattern: USERNAME_PATTERN, examples: ['ada_l'] });
export const Email = Type.String({ maxLength: 254, description: 'user-service checks the address.' });
export const Password = Type.String({ maxLength: 256 });
export const DisplayName = Type.String({ maxLength: 50 });
export const Bio = Type.String({ maxLength: 300 });
export const AvatarUrl = Type.String({
  maxLength: 2048,
  description: [
    'An https URL to a public host (no credentials, no `localhost`, no private, loopback or other',
    'special-purpose address literal; host names are not resolved); an empty string clears it.',
  ].join(' '),
});
export const Timestamp = Type.String({ format: 'date-time' });

export const AccountSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    bio: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    followerCount: Type.Integer(),
    followingCount: Type.Integer(),
  },
  { additionalProperties: false, description: 'Your own account, as only you see it.' },
);

export const RegisterBody = Type.Object(
  { username: Username, email: Email, password: Password },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    login: Type.String({ maxLength: 254, description: 'A username or an email address.' }),
    password: Password,
  },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const UpdateMeBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    bio: Type.Optional(Bio),
    avatarUrl: Type.Optional(Type.Union([AvatarUrl, Type.Null()])),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Only the fields present change; an empty string (or null for avatarUrl) clears one.',
  },
);

export const DeleteMeBody = Type.Object(
  { password: Type.String({ maxLength: 256, description: 'Your current password.' }) },
  { additionalProperties: false },
);
