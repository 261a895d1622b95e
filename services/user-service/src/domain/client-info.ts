/**
 * What a session remembers about where it was opened (shown in the session list). It comes
 * from the gateway but is client-controlled text, so it is cleaned and bounded.
 */
import type { ClientInfo } from '@wren/contracts/user/v1/auth_service.js';

const USER_AGENT_MAX = 256;
// The longest textual IPv6 address with a zone is well under this.
const IP_MAX = 64;

function clean(value: string, max: number): string {
  // Slice by code points, so a cut never leaves half a surrogate pair behind.
  const bounded = Array.from(value.slice(0, max * 2))
    .slice(0, max)
    .join('');
  return bounded.replace(/\p{Cc}/gu, '').trim();
}

export interface SessionOrigin {
  userAgent: string;
  ip: string;
}

export function sessionOrigin(client: ClientInfo | undefined): SessionOrigin {
  return {
    userAgent: clean(client?.userAgent ?? '', USER_AGENT_MAX),
    ip: clean(client?.ip ?? '', IP_MAX),
  };
}
