/**
 * A real gateway (startGateway: real HTTP, real gRPC clients, real JWKS verification) in
 * front of the scripted user-, post- and notification-service.
 */
import type { Logger } from '@wren/platform';
import { readGatewayConfig, startGateway } from '../../src/index.js';
import { type ScriptedNotificationService, startScriptedNotificationService } from './scripted-notification-service.js';
import { type ScriptedPostService, startScriptedPostService } from './scripted-post-service.js';
import { type ScriptedUserService, startScriptedUserService } from './scripted-user-service.js';

export interface Harness {
  url: string;
  user: ScriptedUserService;
  post: ScriptedPostService;
  notification: ScriptedNotificationService;
  fetch(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>;
  stop(): Promise<void>;
}

/** `logger`: where the gateway logs go, for a test that reads them. */
export async function startHarness(
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<Harness> {
  const user = await startScriptedUserService();
  const post = await startScriptedPostService();
  const notification = await startScriptedNotificationService();
  const gateway = await startGateway(
    readGatewayConfig({
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: '0',
      USER_SERVICE_ADDR: user.addr,
      POST_SERVICE_ADDR: post.addr,
      NOTIFICATION_SERVICE_ADDR: notification.addr,
      RATE_LIMIT_MAX: '10000',
      RATE_LIMIT_AUTH_MAX: '1000',
      ...env,
    }),
    options,
  );
  return {
    url: gateway.url,
    user,
    post,
    notification,
    fetch: (path, init = {}) => send(gateway.url, path, init),
    async stop() {
      await gateway.stop();
      await user.stop();
      await post.stop();
      await notification.stop();
    },
  };
}

/** fetch with two conveniences: `json` (sets the body and content type) and `token`. */
export function send(
  baseUrl: string,
  path: string,
  { json, token, ...init }: RequestInit & { json?: unknown; token?: string } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (json !== undefined) {
    headers.set('content-type', 'application/json');
    init.body = JSON.stringify(json);
  }
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  return fetch(`${baseUrl}${path}`, { ...init, headers });
}
