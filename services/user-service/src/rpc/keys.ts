import type { AuthServiceImplementation } from '@wren/contracts/user/v1/auth_service.js';
import type { WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';

export function keysRpc(ctx: UserServiceContext): Pick<AuthServiceImplementation<WrenCallContextExt>, 'getJwks'> {
  return {
    async getJwks() {
      return { keys: ctx.tokens.publicKeys() };
    },
  };
}
