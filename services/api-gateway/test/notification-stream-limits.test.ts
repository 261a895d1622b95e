/**
 * GET /v1/notifications/stream under abuse, against a scripted StreamNotifications: one user
 * holds at most STREAMS_PER_USER_MAX streams on a gateway (429 beyond, a slot freed by any
 * stream's end), and a client that leaves before the stream opens is not logged as our error.
 */
import http from 'node:http';
import type { StreamNotificationsResponse } from '@wren/contracts/notification/v1/notification_service.js';
import { createLogger } from '@wren/platform';
import { ServerError, Status } from 'nice-grpc';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { openSse, type SseConnection } from './support/sse.js';
import { signTestToken } from './support/tokens.js';

const PATH = '/v1/notifications/stream';
const heartbeat: StreamNotificationsResponse = { event: { $case: 'heartbeat', value: {} } };
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

interface LogLine {
  level: number;
  msg?: string;
  requestId?: string;
  res?: { statusCode?: number };
}

const logs: LogLine[] = [];
let h: Harness;
let ana: string;
let ben: string;
const open: SseConnection[] = [];

beforeAll(async () => {
  const logger = createLogger('api-gateway', 'debug', { write: (line: string) => void logs.push(JSON.parse(line)) });
  h = await startHarness({ STREAMS_PER_USER_MAX: '2' }, { logger });
  ana = await signTestToken();
  ben = await signTestToken();
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await h?.stop();
});
beforeEach(() => {
  h.notification.reset();
  // Open until the client leaves.
  h.notification.onStream(async function* (_request, signal) {
    yield heartbeat;
    await untilAborted(signal);
  });
});

async function stream(token: string): Promise<SseConnection> {
  const connection = await openSse(`${h.url}${PATH}`, { authorization: `Bearer ${token}` });
  open.push(connection);
  return connection;
}

const streamCalls = () => h.notification.calls.filter((call) => call.method === 'streamNotifications').length;

describe('streams per user', () => {
  test('a third stream of one user is a 429 while two are open; another user is not affected', async () => {
    const first = await stream(ana);
    const second = await stream(ana);
    expect([first.status, second.status]).toEqual([200, 200]);

    // Bounded: without a cap this would be a third open stream, an answer that never ends.
    const refused = await h.fetch(PATH, { token: ana, signal: AbortSignal.timeout(5000) });
    const problem = await expectProblem(refused, 429, 'rate-limited', { instance: PATH });
    expect(problem.code).toBe('TOO_MANY_STREAMS');
    // Refused before the service was asked.
    expect(streamCalls()).toBe(2);

    expect((await stream(ben)).status).toBe(200);

    // One closes: its slot is free again.
    first.close();
    await first.ended;
    await vi.waitFor(
      async () => {
        const again = await stream(ana);
        expect(again.status).toBe(200);
      },
      { timeout: 5000, interval: 50 },
    );
    expect((await h.fetch(PATH, { token: ana, signal: AbortSignal.timeout(5000) })).status).toBe(429);
    for (const connection of open.splice(0)) connection.close();
  });

  test('a stream the service refuses holds no slot', async () => {
    const carl = await signTestToken();
    h.notification.onStream(async function* () {
      yield* [];
      throw new ServerError(Status.NOT_FOUND, 'no such notification');
    });
    for (let i = 0; i < 4; i += 1) {
      await expectProblem(await h.fetch(PATH, { token: carl }), 404, 'not-found');
    }
  });
});

describe('a client that leaves before the stream opens', () => {
  test('cancels the call, frees its slot, and logs no error', async () => {
    const dana = await signTestToken();
    let serverSignal: AbortSignal | undefined;
    // The service has not said anything yet when the client goes.
    h.notification.onStream(async function* (_request, signal) {
      serverSignal = signal;
      await untilAborted(signal);
      yield heartbeat;
    });
    const dropAndCount = async () => {
      const before = logs.length;
      const request = http.get(`${h.url}${PATH}`, { headers: { authorization: `Bearer ${dana}` }, agent: false });
      request.on('error', () => {});
      await vi.waitFor(() => expect(serverSignal).toBeDefined(), { timeout: 5000 });
      request.destroy();
      await vi.waitFor(() => expect(serverSignal?.aborted).toBe(true), { timeout: 5000 });
      serverSignal = undefined;
      // The handler's end is logged, as a refusal or a failure: wait for it.
      const ended = (line: LogLine) => line.msg === 'request refused' || line.msg === 'request failed';
      await vi.waitFor(() => expect(logs.slice(before).some(ended)).toBe(true), { timeout: 5000 });
      return logs.slice(before);
    };
    for (let i = 0; i < 3; i += 1) {
      const lines = await dropAndCount();
      expect(lines.filter((line) => line.level >= 50)).toEqual([]);
      expect(lines.some((line) => line.msg === 'request failed')).toBe(false);
      expect(lines.some((line) => (line.res?.statusCode ?? 0) >= 500)).toBe(false);
    }
    // Three left, and the cap is two: none of them holds a slot.
    h.notification.onStream(async function* (_request, signal) {
      yield heartbeat;
      await untilAborted(signal);
    });
    expect((await stream(dana)).status).toBe(200);
    expect((await stream(dana)).status).toBe(200);
  });
});
