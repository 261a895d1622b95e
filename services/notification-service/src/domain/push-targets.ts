/** Checks of what clients register as push destinations, before anything is stored. */
import type { WebPushSubscription } from '@wren/contracts/notification/v1/push_service.js';
import { FieldErrors, publicHttpsUrlProblem } from '@wren/platform';
import { isExpoPushToken } from '../delivery/expo.js';
import { decodeBase64Url, isUncompressedP256Point } from '../delivery/vapid.js';

/** Browsers' endpoints are a few hundred characters; far more is not a push service. */
const MAX_ENDPOINT_LENGTH = 2048;
const MAX_TOKEN_LENGTH = 256;

export async function checkedSubscription(
  subscription: WebPushSubscription | undefined,
  allowPrivate: boolean,
): Promise<WebPushSubscription> {
  const errors = new FieldErrors();
  const endpoint = subscription?.endpoint.trim() ?? '';
  const p256dh = subscription?.p256dh.trim() ?? '';
  const auth = subscription?.auth.trim() ?? '';
  if (endpoint === '') errors.add('subscription.endpoint', 'is required');
  else if (endpoint.length > MAX_ENDPOINT_LENGTH) errors.add('subscription.endpoint', 'is too long');
  else {
    const problem = await publicHttpsUrlProblem(endpoint, { allowPrivate });
    if (problem) errors.add('subscription.endpoint', problem);
  }
  // RFC 8291 §3.1-3.2: the browser's ECDH share and its 16-byte authentication secret.
  if (!isUncompressedP256Point(decodeBase64Url(p256dh))) {
    errors.add('subscription.p256dh', 'must be a base64url uncompressed P-256 public key (65 bytes)');
  }
  if (decodeBase64Url(auth)?.length !== 16) errors.add('subscription.auth', 'must be 16 base64url bytes');
  errors.throwIfAny();
  return { endpoint, p256dh, auth };
}

export function checkedExpoToken(raw: string): string {
  const token = raw.trim();
  const errors = new FieldErrors();
  if (token === '') errors.add('token', 'is required');
  else if (token.length > MAX_TOKEN_LENGTH || !isExpoPushToken(token)) {
    errors.add('token', 'must be an Expo push token (ExponentPushToken[…])');
  }
  errors.throwIfAny();
  return token;
}
