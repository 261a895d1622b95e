/** GET /v1/notifications/stream: its resume header and its text/event-stream answer. */
import { Type } from 'typebox';
import { UUID_PATTERN } from './ids.js';

export const LAST_EVENT_ID_HEADER = 'last-event-id';

export const StreamHeaders = Type.Object(
  {
    [LAST_EVENT_ID_HEADER]: Type.Optional(
      Type.String({
        pattern: UUID_PATTERN,
        description: [
          'Resume point: the `id` of the last event received. Browsers send it by themselves when',
          'an EventSource reconnects. The notifications after it (at most the 500 newest) come',
          'first, oldest first, then the live ones. Must be the id of one of your notifications.',
        ].join(' '),
      }),
    ),
  },
  // Headers are an open set: only this one is looked at.
  { additionalProperties: true },
);

export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';

export const EventStreamResponse = {
  description: [
    'Server-Sent Events, for as long as the connection stays open. Each new notification is an',
    'event `notification` whose `id` is the notification id and whose `data` is the notification',
    'as an item of GET /v1/notifications:',
    '`id: <uuid>\\nevent: notification\\ndata: {"id":…,"type":"like",…}\\n\\n`.',
    'While nothing happens, a comment line `: heartbeat` comes every 15 seconds or so.',
    'When the stream ends (deploys, a service restart), reconnect with `Last-Event-ID`.',
  ].join(' '),
  content: {
    [EVENT_STREAM_CONTENT_TYPE]: {
      schema: Type.String({
        examples: ['id: 0190f2a0-0000-7000-8000-0000000000e1\nevent: notification\ndata: {…}\n\n'],
      }),
    },
  },
};
