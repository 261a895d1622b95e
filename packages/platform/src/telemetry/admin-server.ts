/**
 * The small HTTP server beside each process's real port: `GET /metrics` for Prometheus and
 * `GET /healthz` for container healthchecks (200 while serving, 503 once draining), and
 * `GET /readyz`: 200 only while the process can do its work (not draining, its database
 * reachable). Liveness and readiness differ on purpose: a database outage must take the
 * process out of traffic, not get it restarted. Kept off the public port so that metrics
 * never reach the internet through the gateway.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';

export interface AdminServer {
  readonly port: number;
  /** From now on /healthz and /readyz answer 503. */
  draining(): void;
  /** Whether what the process depends on is there; /readyz answers 503 while it is not. */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export async function startAdminServer(options: {
  host: string;
  port: number;
  registry: Registry;
  logger: Logger;
}): Promise<AdminServer> {
  let serving = true;
  let ready = true;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (body) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(body),
        (error) => {
          options.logger.error({ err: error }, 'collecting metrics failed');
          response.writeHead(500).end();
        },
      );
    } else if (path === '/healthz') {
      response
        .writeHead(serving ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: serving ? 'serving' : 'draining' }));
    } else if (path === '/readyz') {
      const status = !serving ? 'draining' : ready ? 'ready' : 'not ready';
      response
        .writeHead(status === 'ready' ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status }));
    } else {
      response.writeHead(404).end();
    }
  });
  // Prometheus keeps its connection open between scrapes; don't let it hold the stop.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'serving /metrics, /healthz and /readyz');
  return {
    port,
    draining() {
      serving = false;
    },
    setReady(value) {
      ready = value;
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
