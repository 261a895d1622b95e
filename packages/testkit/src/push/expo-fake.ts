/**
 * A local Expo push API for tests (POST /--/api/v2/push/send and /getReceipts, as
 * https://docs.expo.dev/push-notifications/sending-notifications/ describes them): ok
 * tickets, DeviceNotRegistered tickets or receipts for tokens marked so, scripted 429/500,
 * and a 400 (recorded in `violations`) for a send request of more than 100 messages.
 */
import { randomUUID } from 'node:crypto';
import { AnswerScript, listenLocal, readBody, type ScriptedAnswer, waitUntil } from './http-peer.js';

export interface ExpoReceivedMessage {
  to: string;
  title?: string;
  body?: string;
  data?: Record<string, unknown>;
  priority?: string;
  /** The ticket it was answered with. */
  ticketId?: string;
}

export interface ExpoPushFake {
  baseUrl: string;
  /** Send tickets for this token are DeviceNotRegistered errors. */
  unregisterAtSend(token: string): void;
  /** Send tickets for this token are ok, but its receipts are DeviceNotRegistered errors. */
  unregisterAtReceipt(token: string): void;
  /** The next `times` requests (send or receipts) get this answer. */
  answer(answer: ScriptedAnswer, times?: number): void;
  /** Messages answered with a ticket (ok or error), in order. */
  readonly messages: ExpoReceivedMessage[];
  /** The size of every send request answered normally. */
  readonly chunkSizes: number[];
  /** Ticket ids asked for in receipt requests. */
  readonly receiptRequests: string[][];
  readonly authorizations: (string | undefined)[];
  readonly violations: string[];
  waitForMessages(count: number, timeoutMs?: number): Promise<ExpoReceivedMessage[]>;
  waitForReceiptRequest(ticketId: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export async function startExpoPushFake(): Promise<ExpoPushFake> {
  const script = new AnswerScript();
  const goneAtSend = new Set<string>();
  const goneAtReceipt = new Set<string>();
  const tickets = new Map<string, string>();
  const messages: ExpoReceivedMessage[] = [];
  const chunkSizes: number[] = [];
  const receiptRequests: string[][] = [];
  const authorizations: (string | undefined)[] = [];
  const violations: string[] = [];

  function send(raw: unknown) {
    const list = (Array.isArray(raw) ? raw : [raw]) as ExpoReceivedMessage[];
    if (list.length > 100) {
      violations.push(`send request of ${list.length} messages`);
      return json(400, { errors: [{ code: 'PUSH_TOO_MANY_NOTIFICATIONS', message: 'at most 100 messages' }] });
    }
    if (list.some((message) => typeof message?.to !== 'string')) {
      violations.push('message without a `to`');
      return json(400, { errors: [{ code: 'VALIDATION_ERROR', message: '"to" is required' }] });
    }
    chunkSizes.push(list.length);
    const data = list.map((message) => {
      if (goneAtSend.has(message.to)) {
        messages.push({ ...message });
        return {
          status: 'error',
          message: `"${message.to}" is not a registered push notification recipient`,
          details: { error: 'DeviceNotRegistered', expoPushToken: message.to },
        };
      }
      const id = randomUUID();
      tickets.set(id, message.to);
      messages.push({ ...message, ticketId: id });
      return { status: 'ok', id };
    });
    return json(200, { data });
  }

  function receipts(raw: unknown) {
    const ids = (raw as { ids?: unknown })?.ids;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      violations.push('receipts request without ids');
      return json(400, { errors: [{ code: 'VALIDATION_ERROR', message: '"ids" is required' }] });
    }
    receiptRequests.push(ids as string[]);
    const data: Record<string, unknown> = {};
    for (const id of ids as string[]) {
      const token = tickets.get(id);
      if (token === undefined) continue;
      data[id] = goneAtReceipt.has(token)
        ? { status: 'error', message: 'not registered', details: { error: 'DeviceNotRegistered' } }
        : { status: 'ok' };
    }
    return json(200, { data });
  }

  const server = await listenLocal(async (request, response) => {
    const body = await readBody(request);
    const scripted = script.next();
    if (scripted) {
      response.writeHead(scripted.status, scripted.headers).end(JSON.stringify({ errors: [{ code: 'SCRIPTED' }] }));
      return;
    }
    authorizations.push(request.headers.authorization);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      violations.push('body is not JSON');
      response.writeHead(400).end();
      return;
    }
    const answer =
      request.method === 'POST' && request.url === '/--/api/v2/push/send'
        ? send(parsed)
        : request.method === 'POST' && request.url === '/--/api/v2/push/getReceipts'
          ? receipts(parsed)
          : json(404, { errors: [{ code: 'NOT_FOUND' }] });
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });

  return {
    baseUrl: server.origin,
    unregisterAtSend: (token) => goneAtSend.add(token),
    unregisterAtReceipt: (token) => goneAtReceipt.add(token),
    answer: (answer, times = 1) => script.push(answer, times),
    messages,
    chunkSizes,
    receiptRequests,
    authorizations,
    violations,
    waitForMessages: (count, timeoutMs = 10_000) =>
      waitUntil(() => messages.length >= count && messages, `${count} Expo messages`, timeoutMs),
    async waitForReceiptRequest(ticketId, timeoutMs = 10_000) {
      await waitUntil(() => receiptRequests.some((ids) => ids.includes(ticketId)), 'a receipt request', timeoutMs);
    },
    close: () => server.close(),
  };
}
