/**
 * The calls the bench makes through Wren's public API outside the measured run (seeding,
 * token refresh, walking timelines), with retries: a seeding request that failed for a
 * passing reason is sent again rather than leaving a hole in the graph.
 */
import type http from 'node:http';
import { httpRequest, keepAliveAgent, type RequestSpec } from './http-request.js';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

export interface TimelinePage {
  items: unknown[];
  nextCursor: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

const RETRIABLE = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiClient {
  private readonly agent: http.Agent;
  private readonly origin: URL;

  constructor(origin: string, sockets: number) {
    this.origin = new URL(origin);
    this.agent = keepAliveAgent(sockets);
  }

  close(): void {
    this.agent.destroy();
  }

  /** The JSON answer of a 2xx; retries timeouts, connection errors, 429 and 5xx. */
  async call<T>(spec: RequestSpec, what: string, attempts = 5, retryOn: readonly number[] = []): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const result = await httpRequest(this.agent, this.origin, spec, 30_000, true);
      if (result.kind === 'answer' && result.status >= 200 && result.status < 300) {
        return (result.body === '' ? undefined : JSON.parse(result.body)) as T;
      }
      const retriable = result.kind !== 'answer' || RETRIABLE.has(result.status) || retryOn.includes(result.status);
      if (!retriable || attempt >= attempts) {
        if (result.kind === 'answer') throw new ApiError(result.status, result.body, what);
        throw new Error(`${what}: ${result.kind === 'timeout' ? 'timed out' : result.code}`);
      }
      await sleep(100 * 2 ** attempt);
    }
  }

  async register(username: string, password: string): Promise<Tokens> {
    const body = JSON.stringify({ username, email: `${username}@bench.example.com`, password });
    const answer = await this.call<{ tokens: Tokens }>(
      { method: 'POST', path: '/v1/auth/register', body },
      `register ${username}`,
    );
    return answer.tokens;
  }

  async login(username: string, password: string): Promise<Tokens> {
    const body = JSON.stringify({ login: username, password });
    return (await this.call<{ tokens: Tokens }>({ method: 'POST', path: '/v1/auth/login', body }, `login ${username}`))
      .tokens;
  }

  /** A registration whose answer was lost, or a Wren seeded by an earlier run: log in. */
  async registerOrLogin(username: string, password: string): Promise<{ tokens: Tokens; existed: boolean }> {
    try {
      return { tokens: await this.register(username, password), existed: false };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      return { tokens: await this.login(username, password), existed: true };
    }
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const body = JSON.stringify({ refreshToken });
    return (await this.call<{ tokens: Tokens }>({ method: 'POST', path: '/v1/auth/refresh', body }, 'refresh', 3))
      .tokens;
  }

  async follow(accessToken: string, username: string): Promise<void> {
    await this.call(
      { method: 'PUT', path: `/v1/users/${username}/follow`, headers: { authorization: `Bearer ${accessToken}` } },
      `follow ${username}`,
    );
  }

  /** The idempotency key makes a retried post count once (409: the first try is still running). */
  async post(accessToken: string, text: string, idempotencyKey: string): Promise<void> {
    await this.call(
      {
        method: 'POST',
        path: '/v1/posts',
        headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': idempotencyKey },
        body: JSON.stringify({ text }),
      },
      'post',
      5,
      [409],
    );
  }

  async page(accessToken: string, path: string): Promise<TimelinePage> {
    return this.call<TimelinePage>(
      { method: 'GET', path, headers: { authorization: `Bearer ${accessToken}` } },
      `GET ${path}`,
    );
  }
}
