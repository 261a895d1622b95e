import type { CallContext } from 'nice-grpc-common';
import type { Logger } from '../logger.js';

/** Who is calling. Only the auth middleware creates one, from a verified token. */
export interface UserCaller {
  kind: 'user';
  userId: string;
  sessionId: string;
  /** The verified access token, forwarded when this service calls another on the user's behalf. */
  token: string;
}

/** Another Wren service acting on its own behalf (an outbox relay, say). */
export interface ServiceCaller {
  kind: 'service';
  service: string;
}

export type Caller = UserCaller | ServiceCaller;

/** What every Wren RPC handler receives next to the nice-grpc CallContext. */
export interface WrenCallContextExt {
  caller: Caller | undefined;
  requestId: string;
  log: Logger;
}

export type WrenCallContext = CallContext & WrenCallContextExt;
