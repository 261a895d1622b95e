/**
 * The Expo push API, spoken directly with fetch: expo-server-sdk reads its base URL once at
 * import time and retries on its own, while we need a configurable base URL, a timeout on
 * each request and the queue (not the SDK) deciding when to try again. Requests and answers
 * are those of https://docs.expo.dev/push-notifications/sending-notifications/.
 */
import { Expo } from 'expo-server-sdk';
import type { PushConfig } from '../config.js';
import { parseRetryAfter } from './backoff.js';

/** The API refuses more than 100 messages per send request. */
export const MAX_MESSAGES_PER_REQUEST = 100;
/** And more than 1000 ids per receipts request; the SDK asks for 300 at a time, and so do we. */
export const MAX_RECEIPT_IDS_PER_REQUEST = 300;

export const isExpoPushToken = (token: string): boolean => Expo.isExpoPushToken(token);

export interface ExpoMessage {
  to: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  priority: 'default' | 'high';
  sound: 'default';
}

export type ExpoTicket =
  | { status: 'ok'; id: string }
  | { status: 'error'; message?: string; details?: { error?: string } };

export type ExpoReceipt = { status: 'ok' } | { status: 'error'; message?: string; details?: { error?: string } };

/** The whole request failed: retry every message of it later, or give up on all of them. */
export type ExpoFailure = { kind: 'retry' | 'failed'; error: string; retryAfterMs?: number };

async function post(config: PushConfig, path: string, body: unknown): Promise<{ data: unknown } | ExpoFailure> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate',
    'content-type': 'application/json',
  };
  if (config.expoAccessToken) headers.authorization = `Bearer ${config.expoAccessToken}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL(path, config.expoBaseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.delivery.requestTimeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return { kind: 'retry', error: `request failed: ${(error as Error).message}` };
  }
  const { status } = response;
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return { kind: 'retry', error: `Expo answered ${status}`, retryAfterMs };
  }
  let parsed: { data?: unknown; errors?: { code?: string; message?: string }[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'retry', error: `Expo answered ${status} with a body that is not JSON` };
  }
  if (status >= 400 || parsed.data === undefined) {
    const first = parsed.errors?.[0];
    return { kind: 'failed', error: `Expo answered ${status}: ${first?.code ?? ''} ${first?.message ?? ''}`.trim() };
  }
  return { data: parsed.data };
}

/** One send request: a ticket per message, in the same order. */
export async function sendExpoMessages(
  config: PushConfig,
  messages: ExpoMessage[],
): Promise<{ tickets: ExpoTicket[] } | ExpoFailure> {
  if (messages.length > MAX_MESSAGES_PER_REQUEST) throw new Error('an Expo send request holds at most 100 messages');
  const result = await post(config, '/--/api/v2/push/send', messages);
  if (!('data' in result)) return result;
  if (!Array.isArray(result.data) || result.data.length !== messages.length) {
    return { kind: 'retry', error: `Expo answered ${messages.length} messages with a different number of tickets` };
  }
  return { tickets: result.data as ExpoTicket[] };
}

/** The receipts among `ids` that are ready; the others are not in the map yet. */
export async function fetchExpoReceipts(
  config: PushConfig,
  ids: string[],
): Promise<{ receipts: Map<string, ExpoReceipt> } | ExpoFailure> {
  const result = await post(config, '/--/api/v2/push/getReceipts', { ids });
  if (!('data' in result)) return result;
  if (typeof result.data !== 'object' || result.data === null) {
    return { kind: 'retry', error: 'Expo answered receipts that are not an object' };
  }
  return { receipts: new Map(Object.entries(result.data as Record<string, ExpoReceipt>)) };
}

/** The error code Expo gives in a ticket or receipt's details. */
export const expoErrorCode = (item: { details?: { error?: string }; message?: string }): string =>
  item.details?.error ?? item.message ?? 'unknown error';
