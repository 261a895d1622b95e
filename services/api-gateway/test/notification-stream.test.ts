/**
 * GET /v1/notifications/stream against a scripted StreamNotifications: SSE framing,
 * Last-Event-ID forwarding and validation, refusals before the 200 as problem+json, an error
 * after it ending the stream, and a client that goes away cancelling the gRPC call.
 */
import http from 'node:http';
import type { StreamNotificationsResponse } from '@wren/contracts/notification/v1/notification_service.js';
import { ServerError, Status } from 'nice-grpc';
import { BadRequest, ErrorInfo, RichServerError } from 'nice-grpc-error-details';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { NOTIFICATION_ID, notification, OTHER_NOTIFICATION_ID } from './support/notification-fixtures.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

const PATH = '/v1/notifications/stream';
const heartbeat: StreamNotificationsResponse = { event: { $case: 'heartbeat', value: {} } };
const event = (id: string): StreamNotificationsResponse => ({
  event: { $case: 'notification', value: notification({ id }) },
});
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.notification.reset());

describe('GET /v1/notifications/stream', () => {
  test('frames notifications as SSE events and heartbeats as comments', async () => {
    h.notification.onStream(async function* () {
      yield heartbeat;
      yield event(NOTIFICATION_ID);
      yield heartbeat;
      yield event(OTHER_NOTIFICATION_ID);
    });
    const response = await h.fetch(PATH, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const text = await response.text();
    const list = await (async () => {
      h.notification.on('listNotifications', async () => ({
        notifications: [notification({ id: NOTIFICATION_ID })],
        nextPageToken: '',
      }));
      return (await (await h.fetch('/v1/notifications', { token })).json()) as { items: unknown[] };
    })();
    const data = JSON.stringify(list.items[0]);
    expect(text).toBe(
      [
        ': heartbeat\n\n',
        `id: ${NOTIFICATION_ID}\nevent: notification\ndata: ${data}\n\n`,
        ': heartbeat\n\n',
        `id: ${OTHER_NOTIFICATION_ID}\nevent: notification\ndata: ${data.replace(NOTIFICATION_ID, OTHER_NOTIFICATION_ID)}\n\n`,
      ].join(''),
    );
    const [call] = h.notification.calls;
    expect(call).toMatchObject({ method: 'streamNotifications', request: { afterNotificationId: '' } });
    expect(call?.authorization).toBe(`Bearer ${token}`);
  });

  test('forwards Last-Event-ID as the resume point', async () => {
    h.notification.onStream(async function* () {
      yield heartbeat;
    });
    const response = await h.fetch(PATH, { token, headers: { 'Last-Event-ID': NOTIFICATION_ID } });
    expect(response.status).toBe(200);
    await response.text();
    expect(h.notification.calls.map((c) => c.request)).toEqual([{ afterNotificationId: NOTIFICATION_ID }]);
  });

  test.each(['42', 'not-a-uuid', `${NOTIFICATION_ID}x`])('refuses Last-Event-ID %j', async (value) => {
    const response = await h.fetch(PATH, { token, headers: { 'Last-Event-ID': value } });
    await expectProblem(response, 400, 'validation-failed', { fields: ['Last-Event-Id'], instance: PATH });
    expect(h.notification.calls).toEqual([]);
  });

  test('needs an access token', async () => {
    const problem = await expectProblem(await h.fetch(PATH), 401, 'unauthenticated');
    expect(problem.code).toBe('MISSING_TOKEN');
    expect(h.notification.calls).toEqual([]);
  });

  test('a refusal before the stream opens is problem+json', async () => {
    h.notification.onStream(async function* () {
      yield* [];
      throw new RichServerError(Status.NOT_FOUND, 'no such notification', [
        ErrorInfo.fromPartial({ reason: 'NOTIFICATION_NOT_FOUND' }),
      ]);
    });
    const headers = { 'Last-Event-ID': NOTIFICATION_ID };
    const problem = await expectProblem(await h.fetch(PATH, { token, headers }), 404, 'not-found');
    expect(problem.code).toBe('NOTIFICATION_NOT_FOUND');

    h.notification.onStream(async function* () {
      yield* [];
      throw new RichServerError(Status.INVALID_ARGUMENT, 'bad', [
        BadRequest.fromPartial({
          fieldViolations: [{ field: 'after_notification_id', description: 'must be a UUID' }],
        }),
      ]);
    });
    await expectProblem(await h.fetch(PATH, { token, headers }), 400, 'validation-failed', {
      fields: ['Last-Event-Id'],
    });

    h.notification.onStream(async function* () {
      yield* [];
      throw new ServerError(Status.UNAVAILABLE, 'stopping');
    });
    await expectProblem(await h.fetch(PATH, { token }), 503, 'service-unavailable');
  });

  test('an error after the stream opened ends the response, without a problem document', async () => {
    h.notification.onStream(async function* () {
      yield heartbeat;
      yield event(NOTIFICATION_ID);
      throw new ServerError(Status.UNAVAILABLE, 'live notifications were interrupted');
    });
    const response = await h.fetch(PATH, { token });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith(': heartbeat\n\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(text).toContain(`id: ${NOTIFICATION_ID}\n`);
    expect(text).not.toContain('problem');
  });

  test('a client that goes away cancels the gRPC call', async () => {
    let serverSignal: AbortSignal | undefined;
    h.notification.onStream(async function* (_request, signal) {
      serverSignal = signal;
      yield heartbeat;
      await untilAborted(signal);
    });
    // node:http, so that going away is a closed socket, as when a browser tab closes.
    const request = http.get(`${h.url}${PATH}`, { headers: { authorization: `Bearer ${token}` }, agent: false });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.on('response', resolve));
    expect(response.statusCode).toBe(200);
    const first = await new Promise<string>((resolve) =>
      response.once('data', (chunk: Buffer) => resolve(String(chunk))),
    );
    expect(first).toBe(': heartbeat\n\n');
    expect(serverSignal?.aborted).toBe(false);
    request.destroy();
    await vi.waitFor(() => expect(serverSignal?.aborted).toBe(true), { timeout: 5000 });
  });
});

describe('GET /v1/notifications/stream on gateway shutdown', () => {
  test('open streams end, so the gateway stops promptly', async () => {
    const own = await startHarness({ SHUTDOWN_GRACE_MS: '20000' });
    let serverSignal: AbortSignal | undefined;
    own.notification.onStream(async function* (_request, signal) {
      serverSignal = signal;
      yield heartbeat;
      await untilAborted(signal);
    });
    const response = await own.fetch(PATH, { token });
    const body = response.text();
    const started = performance.now();
    await own.stop();
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await body).toBe(': heartbeat\n\n');
    expect(serverSignal?.aborted).toBe(true);
  });
});
