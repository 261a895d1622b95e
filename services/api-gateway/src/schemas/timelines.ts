/** Home and user timelines: posts, and shares that carry the post they share. */
import { Type } from 'typebox';
import { Timestamp } from './account.js';
import { NextCursor } from './pages.js';
import { PostSchema, TEXT_MAX_CODE_UNITS } from './posts.js';
import { UserSummarySchema } from './profile.js';

export const ShareSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    sharer: UserSummarySchema,
    quote: Type.Union([Type.String(), Type.Null()], {
      description: 'The sharer’s quote text; null for a plain share.',
    }),
    createdAt: Timestamp,
    post: PostSchema,
  },
  { additionalProperties: false },
);

export const ShareBody = Type.Object(
  {
    quote: Type.Optional(
      Type.String({ maxLength: TEXT_MAX_CODE_UNITS, description: 'Optional, up to 500 characters.' }),
    ),
  },
  { additionalProperties: false },
);

export const TimelineItemSchema = Type.Union([
  Type.Object({ type: Type.Literal('post'), post: PostSchema }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('share'), share: ShareSchema }, { additionalProperties: false }),
]);

export const TimelinePageSchema = Type.Object(
  { items: Type.Array(TimelineItemSchema), nextCursor: NextCursor },
  { additionalProperties: false, description: 'Posts and shares, newest first.' },
);
