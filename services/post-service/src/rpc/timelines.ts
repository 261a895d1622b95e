import type { PostServiceImplementation } from '@wren/contracts/post/v1/post_service.js';
import { encodeCursor, invalidArgument, pageSize, requireUser, type WrenCallContextExt } from '@wren/platform';
import type { PostServiceContext } from '../context.js';
import type { FeedRow } from '../db/queries/feed.js';
import { decodeIdCursor } from '../domain/requests.js';
import { homeTimeline, type TimelineEntry, userTimeline } from '../domain/timelines.js';
import { viewerOf } from '../domain/visibility.js';
import { toTimelineItem } from './mappers.js';

const MAX_USERNAME_LENGTH = 64;

// The cursor follows the feed rows read, not the items shown: an item dropped because its
// post vanished mid-read must not make the next page start over.
function page(result: { rows: FeedRow[]; entries: TimelineEntry[] }, limit: number) {
  const last = result.rows.length > limit ? result.rows[limit - 1] : undefined;
  return { items: result.entries.map(toTimelineItem), nextPageToken: last ? encodeCursor([last.id]) : '' };
}

export function timelinesRpc(
  ctx: PostServiceContext,
): Pick<PostServiceImplementation<WrenCallContextExt>, 'listUserPosts' | 'getHomeTimeline'> {
  const { db } = ctx.database;

  return {
    async listUserPosts(request, context) {
      if (request.username === '' || request.username.length > MAX_USERNAME_LENGTH) {
        throw invalidArgument({ field: 'username', description: 'must be a username' });
      }
      const limit = pageSize(request.pageSize);
      const after = decodeIdCursor(request.pageToken);
      return page(await userTimeline(db, viewerOf(context), request.username, limit, after), limit);
    },

    async getHomeTimeline(request, context) {
      const { userId } = requireUser(context);
      const limit = pageSize(request.pageSize);
      const after = decodeIdCursor(request.pageToken);
      return page(await homeTimeline(db, userId, limit, after), limit);
    },
  };
}
