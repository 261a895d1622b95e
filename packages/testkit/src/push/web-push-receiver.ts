/**
 * A local push service (RFC 8030) for tests: it hands out real subscriptions (its own P-256
 * key and auth secret each, endpoint http://127.0.0.1:PORT/push/<id>), and accepts a push
 * only when the VAPID JWT verifies and the aes128gcm body decrypts with that subscription's
 * keys. Anything else is answered 400/401/403 and kept in `rejected`.
 */

import type { ECDH } from 'node:crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import { AnswerScript, listenLocal, readBody, type ScriptedAnswer, waitUntil } from './http-peer.js';
import { decryptAes128gcm, p256KeyPair, type VapidClaims, verifyVapid } from './web-push-crypto.js';

export interface ReceiverSubscription {
  id: string;
  endpoint: string;
  /** base64url, as a browser's PushSubscription.toJSON() gives them. */
  p256dh: string;
  auth: string;
}

export interface ReceivedPush {
  subscriptionId: string;
  at: number;
  headers: { ttl?: string; urgency?: string; topic?: string; contentEncoding?: string };
  claims: VapidClaims;
  vapidKey: string;
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
}

export interface RejectedPush {
  subscriptionId: string;
  reason: string;
}

export interface WebPushReceiver {
  origin: string;
  subscribe(): ReceiverSubscription;
  /** The next `times` pushes (valid or not) get this answer instead of 201. */
  answer(answer: ScriptedAnswer, times?: number): void;
  /** Every push accepted (decrypted and verified), in order. */
  readonly received: ReceivedPush[];
  readonly rejected: RejectedPush[];
  /** Every request that reached a subscription, with what it was answered. */
  readonly attempts: { subscriptionId: string; at: number; status: number }[];
  waitFor(count: number, filter?: (push: ReceivedPush) => boolean, timeoutMs?: number): Promise<ReceivedPush[]>;
  close(): Promise<void>;
}

export async function startWebPushReceiver(): Promise<WebPushReceiver> {
  const subscriptions = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const script = new AnswerScript();
  const received: ReceivedPush[] = [];
  const rejected: RejectedPush[] = [];
  const attempts: WebPushReceiver['attempts'] = [];
  let origin = '';

  const server = await listenLocal(async (request, response) => {
    const body = await readBody(request);
    const match = /^\/push\/([\w-]+)$/.exec(request.url ?? '');
    const subscription = match?.[1] ? subscriptions.get(match[1]) : undefined;
    if (request.method !== 'POST' || !match?.[1] || !subscription) {
      response.writeHead(404).end();
      return;
    }
    const subscriptionId = match[1];
    const scripted = script.next();
    const status = scripted?.status ?? 201;
    attempts.push({ subscriptionId, at: Date.now(), status });
    if (scripted) {
      response.writeHead(status, scripted.headers).end();
      return;
    }
    const reject = (code: number, reason: string) => {
      rejected.push({ subscriptionId, reason });
      response.writeHead(code, { 'content-type': 'text/plain' }).end(reason);
    };
    let vapid: ReturnType<typeof verifyVapid>;
    try {
      vapid = verifyVapid(request.headers.authorization, origin);
    } catch (error) {
      reject(401, (error as Error).message);
      return;
    }
    if (request.headers['content-encoding'] !== 'aes128gcm') {
      reject(400, 'Content-Encoding is not aes128gcm');
      return;
    }
    if (request.headers.ttl === undefined) {
      reject(400, 'TTL header missing');
      return;
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(decryptAes128gcm(body, subscription.ecdh, subscription.auth).toString('utf8'));
    } catch (error) {
      reject(400, `cannot decrypt: ${(error as Error).message}`);
      return;
    }
    received.push({
      subscriptionId,
      at: Date.now(),
      headers: {
        ttl: request.headers.ttl as string | undefined,
        urgency: request.headers.urgency as string | undefined,
        topic: request.headers.topic as string | undefined,
        contentEncoding: request.headers['content-encoding'],
      },
      claims: vapid.claims,
      vapidKey: vapid.key,
      payload,
    });
    response.writeHead(201, { location: `${origin}/message/${randomUUID()}` }).end();
  });
  origin = server.origin;

  return {
    origin,
    subscribe() {
      const id = randomUUID();
      const { ecdh, publicKey } = p256KeyPair();
      const auth = randomBytes(16);
      subscriptions.set(id, { ecdh, auth });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        p256dh: publicKey.toString('base64url'),
        auth: auth.toString('base64url'),
      };
    },
    answer: (answer, times = 1) => script.push(answer, times),
    received,
    rejected,
    attempts,
    waitFor(count, filter = () => true, timeoutMs = 10_000) {
      return waitUntil(
        () => {
          const matching = received.filter(filter);
          return matching.length >= count && matching;
        },
        `${count} pushes at the receiver`,
        timeoutMs,
      );
    },
    close: () => server.close(),
  };
}
