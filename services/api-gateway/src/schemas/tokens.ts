import { Type } from 'typebox';
import { AccountSchema, Timestamp } from './account.js';

export const TokensSchema = Type.Object(
  {
    accessToken: Type.String({ description: 'Send as `Authorization: Bearer <accessToken>`.' }),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires.' }),
    refreshToken: Type.String({ description: 'Single use: each refresh returns a new one.' }),
    refreshTokenExpiresAt: Timestamp,
  },
  { additionalProperties: false },
);

export const SignedInSchema = Type.Object(
  { account: AccountSchema, tokens: TokensSchema },
  { additionalProperties: false, description: 'Signed in: your account and a new token pair.' },
);

export const RefreshedSchema = Type.Object(
  { tokens: TokensSchema },
  { additionalProperties: false, description: 'A new token pair; the refresh token sent is spent.' },
);

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ maxLength: 512 }) },
  { additionalProperties: false },
);
