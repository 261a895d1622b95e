/** One HTTP/1.1 request over a keep-alive agent, with a hard deadline and no exceptions. */
import http from 'node:http';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  /** Path and query, e.g. `/v1/timelines/home?limit=10`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export type HttpResult =
  | { kind: 'answer'; status: number; body: string }
  | { kind: 'timeout' }
  | { kind: 'connection'; code: string };

/**
 * A keep-alive agent with room for `sockets` connections: the callers bound their own
 * concurrency to that, so the agent never queues a request where we cannot see it.
 */
export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: 'lifo' });
}

/**
 * Sends `spec` to `origin`. The body is read only when `keepBody` (the load generator
 * drains and drops it). Past `timeoutMs` the request is destroyed and reported as a timeout.
 */
export function httpRequest(
  agent: http.Agent,
  origin: URL,
  spec: RequestSpec,
  timeoutMs: number,
  keepBody = false,
): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(spec.body));
    }
    const request = http.request(
      { agent, hostname: origin.hostname, port: origin.port, method: spec.method, path: spec.path, headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (keepBody) chunks.push(chunk);
        });
        response.on('end', () =>
          settle({ kind: 'answer', status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error: NodeJS.ErrnoException) =>
          settle({ kind: 'connection', code: error.code ?? error.name }),
        );
      },
    );
    const timer = setTimeout(
      () => {
        settle({ kind: 'timeout' });
        request.destroy();
      },
      Math.max(1, timeoutMs),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'connection', code: error.code ?? error.name }),
    );
    request.end(spec.body);
  });
}
