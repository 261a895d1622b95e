import { Type } from 'typebox';
import { Timestamp } from './account.js';
import { IdParams } from './ids.js';

export const SessionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    userAgent: Type.String(),
    ip: Type.String(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp,
    current: Type.Boolean({ description: 'True for the session of the access token of this request.' }),
  },
  { additionalProperties: false },
);

export const SessionListSchema = Type.Object(
  { items: Type.Array(SessionSchema) },
  { additionalProperties: false, description: 'Your active sessions, most recently used first.' },
);

export const SessionParams = IdParams;
