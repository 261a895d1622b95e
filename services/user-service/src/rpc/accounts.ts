import type { AuthServiceImplementation } from '@wren/contracts/user/v1/auth_service.js';
import type { WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { revokeSession } from '../db/queries/sessions.js';
import { changePassword, deleteAccount, login, register } from '../domain/accounts.js';
import { sessionOrigin } from '../domain/client-info.js';
import { prepareDummyHash } from '../domain/passwords.js';
import { rotateRefreshToken, tokenPair } from '../domain/sessions.js';
import { activeCaller } from './active-caller.js';
import { toAccount } from './mappers.js';

export function accountsRpc(
  ctx: UserServiceContext,
): Pick<
  AuthServiceImplementation<WrenCallContextExt>,
  'register' | 'login' | 'refresh' | 'logout' | 'changePassword' | 'deleteAccount'
> {
  prepareDummyHash();
  return {
    async register(request) {
      const { user, grant } = await register(ctx, request, sessionOrigin(request.client));
      return { account: toAccount(user), tokens: await tokenPair(ctx, grant) };
    },

    async login(request) {
      const { user, grant } = await login(ctx, request, sessionOrigin(request.client));
      return { account: toAccount(user), tokens: await tokenPair(ctx, grant) };
    },

    async refresh(request, context) {
      const grant = await rotateRefreshToken(ctx, context.log, request.refreshToken);
      return { tokens: await tokenPair(ctx, grant) };
    },

    async logout(_request, context) {
      const caller = await activeCaller(ctx, context);
      await revokeSession(ctx.database.db, caller.sessionId, 'logout', new Date());
      return {};
    },

    async changePassword(request, context) {
      await changePassword(ctx, await activeCaller(ctx, context), request);
      return {};
    },

    async deleteAccount(request, context) {
      await deleteAccount(ctx, await activeCaller(ctx, context), request.password);
      return {};
    },
  };
}
