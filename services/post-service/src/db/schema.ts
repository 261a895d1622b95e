import type { ColumnType, Generated } from 'kysely';

type Counter = ColumnType<number, number | undefined, number>;
export type VisibilityValue = 'public' | 'followers';

export interface PostsTable {
  id: string;
  author_id: string;
  text: string;
  visibility: VisibilityValue;
  created_at: ColumnType<Date, Date | undefined, never>;
  edited_at: Date | null;
  like_count: Counter;
  comment_count: Counter;
  share_count: Counter;
  /** `[{user_id, username}]` in text order, as a post view shows them (JSON text on write). */
  mentions: ColumnType<MentionJson[], string | undefined, string>;
  hashtags: ColumnType<string[], string[] | undefined, string[]>;
}

export interface MentionJson {
  user_id: string;
  username: string;
}

export interface PostRevisionsTable {
  id: string;
  post_id: string;
  text: string;
  written_at: Date;
  replaced_at: Date;
}

export interface PostMentionsTable {
  post_id: string;
  user_id: string;
  position: number;
}

export interface PostHashtagsTable {
  post_id: string;
  tag: string;
  position: number;
}

export interface CommentsTable {
  id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
  text: string;
  created_at: Date;
  edited_at: Date | null;
  like_count: Counter;
  reply_count: Counter;
}

export interface PostLikesTable {
  post_id: string;
  user_id: string;
  created_at: Date;
}

export interface CommentLikesTable {
  comment_id: string;
  user_id: string;
  created_at: Date;
}

export interface SharesTable {
  id: string;
  post_id: string;
  user_id: string;
  quote: Generated<string>;
  created_at: Date;
}

export interface FeedItemsTable {
  id: string;
  actor_id: string;
  post_id: string;
  share_id: string | null;
  visibility: VisibilityValue;
}

/** The replica of user-service's users (written by the event consumer; see queries/authors.ts). */
export interface AuthorsTable {
  id: string;
  username: string;
  display_name: Generated<string>;
  avatar_url: Generated<string>;
  updated_at: Generated<Date>;
}

/** The replica of user-service's follow graph; read only here. */
export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: Generated<Date>;
}

/** A feed item copied into one owner's home timeline (fan-out on write). */
export interface HomeFeedTable {
  owner_id: string;
  id: string;
  actor_id: string;
  post_id: string;
  share_id: string | null;
}

export interface PostDatabase {
  posts: PostsTable;
  post_revisions: PostRevisionsTable;
  post_mentions: PostMentionsTable;
  post_hashtags: PostHashtagsTable;
  comments: CommentsTable;
  post_likes: PostLikesTable;
  comment_likes: CommentLikesTable;
  shares: SharesTable;
  feed_items: FeedItemsTable;
  home_feed: HomeFeedTable;
  authors: AuthorsTable;
  follows: FollowsTable;
}
