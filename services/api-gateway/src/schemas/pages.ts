/** Keyset pages: `?cursor=&limit=` in, `{items, nextCursor}` plus a `Link: rel="next"` out. */
import { Type } from 'typebox';
import { Timestamp } from './account.js';
import { UserSummarySchema } from './profile.js';

export const DEFAULT_LIMIT = 20;
// The platform's MAX_PAGE_SIZE; services refuse more, the gateway says so first.
export const MAX_LIMIT = 100;

export const PageQuery = Type.Object(
  {
    cursor: Type.Optional(
      Type.String({
        maxLength: 512,
        pattern: '^[A-Za-z0-9_-]*$',
        description: 'Opaque; copy it from `nextCursor` (or follow the `Link` header).',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
  },
  { additionalProperties: false },
);

export const NextCursor = Type.Union([Type.String(), Type.Null()], {
  description: 'The cursor of the next page; null on the last page.',
});

export const FollowEntrySchema = Type.Object(
  { user: UserSummarySchema, followedAt: Timestamp },
  { additionalProperties: false },
);

export const FollowPageSchema = Type.Object(
  { items: Type.Array(FollowEntrySchema), nextCursor: NextCursor },
  { additionalProperties: false, description: 'One page of users, newest follow first.' },
);
