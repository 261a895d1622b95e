/**
 * A notification stream client that behaves like EventSource: when the stream ends or
 * cannot be opened it reconnects after a moment, sending the last id it saw as
 * Last-Event-ID, so that a fault costs it nothing but time.
 */
import http from 'node:http';

export interface StreamWatcher {
  /** Notification ids received, in order (a repeat would show as a duplicate here). */
  readonly ids: string[];
  readonly reconnects: number;
  close(): void;
}

const RECONNECT_AFTER_MS = 500;

export function watchNotifications(gatewayUrl: string, token: () => string): StreamWatcher {
  const ids: string[] = [];
  let reconnects = 0;
  let closed = false;
  let current: http.ClientRequest | undefined;

  const connect = () => {
    if (closed) return;
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token()}` };
    const last = ids.at(-1);
    if (last) headers['last-event-id'] = last;
    let retried = false;
    const retry = () => {
      if (retried || closed) return;
      retried = true;
      reconnects++;
      setTimeout(connect, RECONNECT_AFTER_MS);
    };
    const request = http.get(`${gatewayUrl}/v1/notifications/stream`, { headers, agent: false });
    current = request;
    request.on('error', retry);
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        response.on('end', retry);
        return;
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.+)$/m.exec(frame)?.[1];
          if (id && /^event: notification$/m.test(frame)) ids.push(id);
        }
      });
      response.on('close', retry);
      response.on('error', retry);
    });
  };
  connect();
  return {
    ids,
    get reconnects() {
      return reconnects;
    },
    close() {
      closed = true;
      current?.destroy();
    },
  };
}
