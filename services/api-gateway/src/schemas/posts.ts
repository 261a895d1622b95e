/**
 * Posts, their edit history and their likes. Text limits here are only an outer bound: the
 * service counts user-perceived characters (1–500) and refuses control characters.
 */
import { Type } from 'typebox';
import { Timestamp } from './account.js';
import { NextCursor } from './pages.js';
import { UserSummarySchema } from './profile.js';

// Generous in UTF-16 code units: 500 graphemes of emoji or combining marks take far more.
export const TEXT_MAX_CODE_UNITS = 2000;

export const PostText = Type.String({
  minLength: 1,
  maxLength: TEXT_MAX_CODE_UNITS,
  description: '1–500 characters (as a person counts them: an emoji is one; a link counts as 23).',
});

export const VisibilitySchema = Type.Enum(['public', 'followers'], {
  description: '`followers`: only you and your followers see the post; to anyone else it does not exist (404).',
});

export const PostCountsSchema = Type.Object(
  { likes: Type.Integer(), comments: Type.Integer(), shares: Type.Integer() },
  { additionalProperties: false },
);

const ViewerFlag = Type.Union([Type.Boolean(), Type.Null()]);

export const PostSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    author: UserSummarySchema,
    text: Type.String(),
    visibility: VisibilitySchema,
    createdAt: Timestamp,
    editedAt: Type.Union([Timestamp, Type.Null()], { description: 'The last edit; null if never edited.' }),
    counts: PostCountsSchema,
    viewer: Type.Object(
      { liked: ViewerFlag, shared: ViewerFlag },
      {
        additionalProperties: false,
        description: 'Whether you liked and shared the post; null without an access token.',
      },
    ),
    mentions: Type.Array(
      Type.Object({ userId: Type.String(), username: Type.String() }, { additionalProperties: false }),
      { description: '@mentions of existing users, in order of appearance.' },
    ),
    hashtags: Type.Array(Type.String(), {
      description: '#hashtags, lower-cased, without `#`, in order of first appearance.',
    }),
  },
  { additionalProperties: false },
);

export const CreatePostBody = Type.Object(
  { text: PostText, visibility: Type.Optional(Type.Enum(['public', 'followers'], { default: 'public' })) },
  { additionalProperties: false },
);

export const UpdatePostBody = Type.Object({ text: PostText }, { additionalProperties: false });

export const RevisionSchema = Type.Object(
  {
    text: Type.String(),
    writtenAt: Type.String({ format: 'date-time', description: 'When this version was written.' }),
    replacedAt: Type.String({ format: 'date-time', description: 'When an edit replaced it.' }),
  },
  { additionalProperties: false },
);

export const HistoryPageSchema = Type.Object(
  { items: Type.Array(RevisionSchema), nextCursor: NextCursor },
  { additionalProperties: false, description: 'Earlier versions of the text, the most recently replaced first.' },
);

export const CountsResponseSchema = Type.Object(
  { counts: PostCountsSchema },
  { additionalProperties: false, description: "The post's counts after the change." },
);

export const LikePageSchema = Type.Object(
  {
    items: Type.Array(Type.Object({ user: UserSummarySchema, likedAt: Timestamp }, { additionalProperties: false })),
    nextCursor: NextCursor,
  },
  { additionalProperties: false, description: 'Who liked the post, newest like first.' },
);
