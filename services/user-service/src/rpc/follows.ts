import type { FollowServiceImplementation } from '@wren/contracts/user/v1/follow_service.js';
import { FieldErrors, isUuid, pageSize, paginate, permissionDenied, type WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import {
  type FollowEntryRow,
  type FollowPageKey,
  followedAmong,
  listFollowers,
  listFollowing,
} from '../db/queries/follows.js';
import { decodeFollowCursor, followCursorValues } from '../domain/follow-cursor.js';
import { followUser, MAX_CHECKED_FOLLOWEES, unfollowUser } from '../domain/follows.js';
import { profileByUsername } from '../domain/profiles.js';
import { activeCaller } from './active-caller.js';
import { toFollowEntry, toProfile } from './mappers.js';

type ListPage = (
  db: UserServiceContext['database']['db'],
  userId: string,
  limit: number,
  after: FollowPageKey | undefined,
) => Promise<FollowEntryRow[]>;

export function followsRpc(ctx: UserServiceContext): FollowServiceImplementation<WrenCallContextExt> {
  const { db } = ctx.database;

  const page = async (list: ListPage, request: { username: string; pageSize: number; pageToken: string }) => {
    const limit = pageSize(request.pageSize);
    const after = decodeFollowCursor(request.pageToken);
    // The list shows no viewer flags, so the profile is looked up without a viewer.
    const user = await profileByUsername(db, request.username, undefined);
    const rows = await list(db, user.id, limit + 1, after);
    const { items, nextPageToken } = paginate(rows, limit, (row) =>
      followCursorValues({ followedAt: row.followed_at, userId: row.id }),
    );
    return { entries: items.map(toFollowEntry), nextPageToken };
  };

  return {
    async follow(request, context) {
      const caller = await activeCaller(ctx, context);
      return { profile: toProfile(await followUser(db, caller, request.username)) };
    },

    async unfollow(request, context) {
      const caller = await activeCaller(ctx, context);
      return { profile: toProfile(await unfollowUser(db, caller, request.username)) };
    },

    listFollowers: (request) => page(listFollowers, request),
    listFollowing: (request) => page(listFollowing, request),

    async checkFollows(request, context) {
      const caller = await activeCaller(ctx, context);
      const errors = new FieldErrors();
      if (!isUuid(request.followerId)) errors.add('follower_id', 'must be a user id (UUID)');
      if (request.followeeIds.length > MAX_CHECKED_FOLLOWEES) {
        errors.add('followee_ids', `must hold at most ${MAX_CHECKED_FOLLOWEES} ids`);
      } else if (!request.followeeIds.every(isUuid)) {
        errors.add('followee_ids', 'must hold only user ids (UUIDs)');
      }
      errors.throwIfAny();
      if (request.followerId !== caller.userId) {
        throw permissionDenied('a user may only check whom they follow themselves', 'NOT_OWN_USER');
      }
      const followeeIds = [...new Set(request.followeeIds)];
      const followed = new Set(await followedAmong(db, caller.userId, followeeIds));
      return { followedIds: followeeIds.filter((id) => followed.has(id)) };
    },
  };
}
