import type { Migrations } from '@wren/platform';
import * as posts from './2026-11-25T1200-posts.js';
import * as userReplica from './2026-11-25T1300-user-replica.js';
import * as postsCommentsReactions from './2026-11-25T1310-posts-comments-reactions.js';

import * as outbox from './2026-11-25T1400-outbox.js';
import * as homeFeed from './2026-11-25T1700-home-feed.js';
import * as postViewColumns from './2026-12-02T1000-post-view-columns.js';

/** Append-only: add new migrations at the end, never edit an applied one. */
export const migrations: Migrations = {
  '2026-11-25T1200-posts': posts,
  '2026-11-25T1300-user-replica': userReplica,
  '2026-11-25T1310-posts-comments-reactions': postsCommentsReactions,
  '2026-11-25T1400-outbox': outbox,
  '2026-11-25T1700-home-feed': homeFeed,
  '2026-12-02T1000-post-view-columns': postViewColumns,
};
