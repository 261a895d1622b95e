/** Rows to protobuf messages, in one place, so that no handler shapes a message by hand. */

import {
  type Author,
  type Comment,
  type Post,
  type PostCounts,
  type Share,
  type TimelineItem,
  Visibility,
} from '@wren/contracts/post/v1/post.js';
import type { Like } from '@wren/contracts/post/v1/reaction_service.js';
import type { AuthorRow } from '../db/queries/authors.js';
import type { CommentView } from '../db/queries/comments.js';
import type { LikeRow } from '../db/queries/likes.js';
import type { PostView, ShareView } from '../db/queries/post-views.js';
import type { CountsRow, RevisionRow } from '../db/queries/posts.js';
import type { TimelineEntry } from '../domain/timelines.js';

export function toAuthor(row: AuthorRow): Author {
  return { id: row.id, username: row.username, displayName: row.display_name, avatarUrl: row.avatar_url };
}

export function toCounts(row: CountsRow): PostCounts {
  return { likes: row.like_count, comments: row.comment_count, shares: row.share_count };
}

export function toPost(view: PostView): Post {
  return {
    id: view.id,
    author: toAuthor(view.author),
    text: view.text,
    visibility: view.visibility === 'public' ? Visibility.VISIBILITY_PUBLIC : Visibility.VISIBILITY_FOLLOWERS,
    createdAt: view.created_at,
    editedAt: view.edited_at ?? undefined,
    counts: toCounts(view),
    viewer: { liked: view.liked, shared: view.shared },
    mentions: view.mentions.map((mention) => ({ userId: mention.user_id, username: mention.username })),
    hashtags: view.hashtags,
  };
}

export function toShare(share: ShareView, post: PostView): Share {
  return {
    id: share.id,
    sharer: toAuthor(share.sharer),
    quote: share.quote,
    createdAt: share.created_at,
    post: toPost(post),
  };
}

export function toTimelineItem(entry: TimelineEntry): TimelineItem {
  return entry.kind === 'post'
    ? { item: { $case: 'post', value: toPost(entry.post) } }
    : { item: { $case: 'share', value: toShare(entry.share, entry.post) } };
}

export function toComment(view: CommentView): Comment {
  return {
    id: view.id,
    postId: view.post_id,
    parentId: view.parent_id ?? '',
    author: toAuthor(view.author),
    text: view.text,
    createdAt: view.created_at,
    editedAt: view.edited_at ?? undefined,
    likeCount: view.like_count,
    replyCount: view.reply_count,
    likedByViewer: view.liked,
  };
}

export function toRevision(row: RevisionRow) {
  return { text: row.text, writtenAt: row.written_at, replacedAt: row.replaced_at };
}

export function toLike(row: LikeRow): Like {
  return {
    user: toAuthor({
      id: row.user_id,
      username: row.username ?? '',
      display_name: row.display_name ?? '',
      avatar_url: row.avatar_url ?? '',
    }),
    likedAt: row.liked_at,
  };
}
