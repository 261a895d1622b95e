import { Type } from 'typebox';
import { Timestamp } from './account.js';

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

export const SessionParams = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }) },
  { additionalProperties: false },
);
