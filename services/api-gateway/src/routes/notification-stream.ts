/**
 * GET /v1/notifications/stream: the caller's notifications live, as Server-Sent Events, fed by
 * notification-service's StreamNotifications. One gRPC call per HTTP connection: it lives
 * exactly as long as the connection (a client that goes away cancels it) and ends the
 * response when it ends.
 *
 * The answer is held back until the service's first message (a heartbeat it sends as soon
 * as the stream is open), so a refusal (bad resume point, expired token, service down) is
 * still a problem+json with its status; after the 200, an error can only end the stream,
 * and the client reconnects with Last-Event-ID.
 *
 * Each user holds at most STREAMS_PER_USER_MAX streams on one gateway process; one more is a
 * 429 until one of them closes.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StreamNotificationsResponse } from '@wren/contracts/notification/v1/notification_service.js';
import type { FastifyBaseLogger } from 'fastify';
import { callOptions } from '../clients.js';
import { ProblemError } from '../errors.js';
import { presentNotification } from '../present.js';
import { problemResponses } from '../schemas/problem.js';
import {
  EVENT_STREAM_CONTENT_TYPE,
  EventStreamResponse,
  LAST_EVENT_ID_HEADER,
  StreamHeaders,
} from '../schemas/stream.js';
import { StreamSlots } from '../stream-slots.js';
import type { RouteOptions } from './auth.js';

// A stream has no natural end; the deadline only bounds a forgotten one. Clients reconnect.
const STREAM_DEADLINE_MS = 24 * 60 * 60 * 1000;

/** One SSE frame: a notification as an event, a heartbeat as a comment (ignored by EventSource). */
export function sseFrame(message: StreamNotificationsResponse): string | undefined {
  const event = message.event;
  if (event?.$case === 'heartbeat') return ': heartbeat\n\n';
  if (event?.$case !== 'notification') return undefined;
  // JSON.stringify escapes newlines, so the data stays on one line as SSE requires.
  const data = JSON.stringify(presentNotification(event.value));
  return `id: ${event.value.id}\nevent: notification\ndata: ${data}\n\n`;
}

/** Copies the rest of the gRPC stream into the response body, and ends it when either ends. */
async function pump(
  events: AsyncIterator<StreamNotificationsResponse>,
  body: PassThrough,
  signal: AbortSignal,
  log: FastifyBaseLogger,
): Promise<void> {
  try {
    while (true) {
      const next = await events.next();
      if (next.done) break;
      const frame = sseFrame(next.value);
      if (frame !== undefined) body.write(frame);
    }
  } catch (error) {
    // A cancelled call (client gone, gateway stopping) is the normal end, not a failure.
    if (!signal.aborted) log.warn({ err: error }, 'notification stream failed');
  } finally {
    body.end();
  }
}

export const notificationStreamRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { clients, config }) => {
  const slots = new StreamSlots(config.streamsPerUserMax);
  // Open streams would hold the gateway's drain until the grace period ends: end them first.
  const open = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of open) controller.abort();
  });

  app.get(
    '/v1/notifications/stream',
    {
      // One request per connection for the rate limiter, however long it stays open.
      config: { auth: 'required', fieldAliases: { after_notification_id: 'Last-Event-Id' } },
      schema: {
        tags: ['notifications'],
        summary: 'Your new notifications, live (Server-Sent Events)',
        description: [
          'For `EventSource` (or any SSE client). Send `Last-Event-ID` to resume after a',
          'disconnect without missing or repeating anything.',
          `At most ${config.streamsPerUserMax} open streams per user on one gateway instance (STREAMS_PER_USER_MAX);`,
          'one more is a 429 until one closes.',
        ].join(' '),
        headers: StreamHeaders,
        response: { 200: EventStreamResponse, ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      // auth: 'required' has set the caller.
      const release = slots.take(request.caller?.userId ?? '');
      if (release === undefined) {
        throw new ProblemError(
          'rate-limited',
          `You have ${config.streamsPerUserMax} notification streams open already; close one first.`,
          { code: 'TOO_MANY_STREAMS' },
        );
      }
      const controller = new AbortController();
      open.add(controller);
      const cancel = () => {
        controller.abort();
        open.delete(controller);
        release();
      };
      // 'close' fires when the client goes away, and also once a finished answer is sent.
      reply.raw.on('close', cancel);
      const events = clients.notifications
        .streamNotifications(
          { afterNotificationId: request.headers[LAST_EVENT_ID_HEADER] ?? '' },
          { ...callOptions(request), signal: controller.signal, deadline: new Date(Date.now() + STREAM_DEADLINE_MS) },
        )
        [Symbol.asyncIterator]();

      let first: IteratorResult<StreamNotificationsResponse>;
      try {
        first = await events.next();
      } catch (error) {
        // Cancelled before the stream opened: the client went away (or the gateway is
        // stopping), and no one is left to answer. Not a failure (no 500, no error logged).
        const clientGone = controller.signal.aborted;
        cancel();
        if (clientGone) throw new ProblemError('client-closed-request', 'The client closed the connection.');
        throw error;
      }
      const body = new PassThrough();
      if (!first.done) {
        const frame = sseFrame(first.value);
        if (frame !== undefined) body.write(frame);
        void pump(events, body, controller.signal, request.log);
      } else {
        body.end();
      }
      return (
        reply
          .header('content-type', `${EVENT_STREAM_CONTENT_TYPE}; charset=utf-8`)
          .header('cache-control', 'no-cache')
          .header('x-accel-buffering', 'no')
          // The schema types the 200 as the text it documents; what is sent is that text, streamed.
          .send(body as unknown as string)
      );
    },
  );
};
