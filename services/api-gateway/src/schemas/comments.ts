/** Comments on posts and replies to comments. */
import { Type } from 'typebox';
import { Timestamp } from './account.js';
import { UUID_PATTERN } from './ids.js';
import { NextCursor, PageQuery } from './pages.js';
import { PostText } from './posts.js';
import { UserSummarySchema } from './profile.js';

export const CommentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    postId: Type.String({ format: 'uuid' }),
    parentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'The comment this one replies to; null for a comment on the post itself.',
    }),
    author: UserSummarySchema,
    text: Type.String(),
    createdAt: Timestamp,
    editedAt: Type.Union([Timestamp, Type.Null()], { description: 'The last edit; null if never edited.' }),
    likeCount: Type.Integer(),
    replyCount: Type.Integer(),
    likedByViewer: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Whether you liked the comment; null without an access token.',
    }),
  },
  { additionalProperties: false },
);

export const CreateCommentBody = Type.Object(
  {
    text: PostText,
    parentId: Type.Optional(
      Type.String({ pattern: UUID_PATTERN, description: 'Reply to this comment (of the same post).' }),
    ),
  },
  { additionalProperties: false },
);

export const UpdateCommentBody = Type.Object({ text: PostText }, { additionalProperties: false });

export const CommentListQuery = Type.Object(
  {
    ...PageQuery.properties,
    parentId: Type.Optional(Type.String({ pattern: UUID_PATTERN, description: 'Only the replies to this comment.' })),
  },
  { additionalProperties: false },
);

export const CommentPageSchema = Type.Object(
  { items: Type.Array(CommentSchema), nextCursor: NextCursor },
  {
    additionalProperties: false,
    description: 'Oldest first. Without `parentId` every comment of the post (replies carry their `parentId`).',
  },
);

export const LikeCountSchema = Type.Object(
  { likeCount: Type.Integer() },
  { additionalProperties: false, description: "The comment's like count after the change." },
);
