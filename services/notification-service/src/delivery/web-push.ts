/**
 * One Web Push request (RFC 8030): web-push encrypts (RFC 8291, aes128gcm) and signs (RFC
 * 8292, VAPID); we send it ourselves, so that every attempt has a timeout, redirects are not
 * followed (they could lead past the SSRF guard) and local http peers work in tests.
 */
import { publicHttpsUrlProblem } from '@wren/platform';
import webPush from 'web-push';
import type { PushConfig } from '../config.js';
import type { StoredSubscription } from '../db/queries/push-destinations.js';
import { parseRetryAfter } from './backoff.js';
import type { PushPayload } from './payload.js';

export type SendResult =
  | { kind: 'delivered' }
  /** The push service no longer knows the destination: remove it. */
  | { kind: 'gone'; error: string }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'failed'; error: string };

export interface WebPushMessage {
  payload: PushPayload;
  urgency: 'high' | 'normal';
  topic: string;
}

export async function sendWebPush(
  subscription: StoredSubscription,
  message: WebPushMessage,
  config: PushConfig,
): Promise<SendResult> {
  // The host was checked at registration, but DNS may point it elsewhere since.
  const problem = await publicHttpsUrlProblem(subscription.endpoint, { allowPrivate: config.allowPrivateEndpoints });
  if (problem) return { kind: 'failed', error: `endpoint ${problem}` };
  let details: ReturnType<typeof webPush.generateRequestDetails>;
  try {
    details = webPush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(message.payload),
      {
        vapidDetails: config.vapid,
        TTL: config.webPushTtlSeconds,
        urgency: message.urgency,
        topic: message.topic,
        contentEncoding: 'aes128gcm',
      },
    );
  } catch (error) {
    return { kind: 'failed', error: `cannot encrypt: ${(error as Error).message}` };
  }
  const headers = Object.fromEntries(Object.entries(details.headers).map(([name, value]) => [name, String(value)]));
  let response: Response;
  try {
    response = await fetch(details.endpoint, {
      method: 'POST',
      headers,
      body: details.body ?? undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.delivery.requestTimeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    // Timeouts, refused connections, resets: the push service may be fine a moment later.
    return { kind: 'retry', error: `request failed: ${(error as Error).message}` };
  }
  return classify(response);
}

function classify(response: Response): SendResult {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const error = `push service answered ${status}`;
  if (status === 404 || status === 410) return { kind: 'gone', error };
  if (status === 429 || status >= 500) {
    return { kind: 'retry', error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  }
  return { kind: 'failed', error };
}
