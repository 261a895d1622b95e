/** An SSE client over node:http for the end-to-end suites: parses frames, and closes by closing the socket. */
import http from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: string[];
  ended: Promise<void>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    request.on('error', reject);
    request.on('response', (response) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else {
              const [name = '', ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (name === 'id' || name === 'event' || name === 'data') event[name] = value;
            }
          }
          if (Object.keys(event).length > 0) events.push(event);
          end = buffer.indexOf('\n\n');
        }
      });
      const ended = new Promise<void>((done) => {
        response.on('close', done);
        response.on('error', () => done());
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        ended,
        close: () => request.destroy(),
      });
    });
  });
}
