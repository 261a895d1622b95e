import type { ProfileServiceImplementation } from '@wren/contracts/user/v1/profile_service.js';
import { unauthenticated, type WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { findUserById, findUserSummaries } from '../db/queries/users.js';
import { SESSION_ENDED } from '../domain/accounts.js';
import { profileByUsername, summaryKeys, updateOwnProfile } from '../domain/profiles.js';
import { validateProfilePatch } from '../domain/validation.js';
import { activeCaller, optionalViewer } from './active-caller.js';
import { toAccount, toProfile, toUserSummary } from './mappers.js';

export function profilesRpc(ctx: UserServiceContext): ProfileServiceImplementation<WrenCallContextExt> {
  const { db } = ctx.database;
  // The session was active a moment ago; the account vanishing in between reads as a dead session.
  const gone = () => unauthenticated(SESSION_ENDED, 'SESSION_ENDED');

  return {
    async getMe(_request, context) {
      const caller = await activeCaller(ctx, context);
      const user = await findUserById(db, caller.userId);
      if (!user) throw gone();
      return { account: toAccount(user) };
    },

    async updateMe(request, context) {
      const caller = await activeCaller(ctx, context);
      const patch = validateProfilePatch(request);
      const user = await updateOwnProfile(db, caller.userId, patch);
      if (!user) throw gone();
      return { account: toAccount(user) };
    },

    async getProfile(request, context) {
      return { profile: toProfile(await profileByUsername(db, request.username, optionalViewer(context))) };
    },

    async getUserSummaries(request, context) {
      await activeCaller(ctx, context);
      const keys = summaryKeys(request.userIds, request.usernames);
      const rows = await findUserSummaries(db, keys.ids, keys.usernames);
      return { users: rows.map(toUserSummary) };
    },
  };
}
