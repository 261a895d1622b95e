import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, keepAliveAgent } from '../src/http-request.js';
import { type Outcome, runOpenLoop } from '../src/open-loop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that handles one request at a time, each taking `serviceMs`: a queue builds when overloaded. */
function singleServer(serviceMs: number) {
  let freeAt = 0;
  return async (): Promise<Outcome> => {
    const now = performance.now();
    freeAt = Math.max(now, freeAt) + serviceMs;
    await sleep(freeAt - now);
    return { kind: 'ok' };
  };
}

describe('runOpenLoop', () => {
  it('counts latency from the intended send time, not from when a busy generator got to send', async () => {
    // One connection, as a closed-loop tool has: each request is sent only when the one before
    // is answered, so each takes 10 ms once sent, yet they fall further and further behind.
    const result = await runOpenLoop(
      { ratePerSecond: 200, warmupMs: 0, durationMs: 500, maxInFlight: 1, timeoutMs: 5000 },
      singleServer(10),
    );
    expect(result.requests).toBe(100);
    expect(result.ok).toBe(100);
    expect(result.latency.p50_ms).toBeGreaterThan(150);
    expect(result.latency.max_ms).toBeGreaterThan(400);
    expect(result.send_lag_p99_ms).toBeGreaterThan(300);
  });

  it('counts latency from the intended send time, so an overloaded server shows its queue', async () => {
    // 200 requests/s against a server that does 100/s: each request waits for all before it.
    const result = await runOpenLoop(
      { ratePerSecond: 200, warmupMs: 0, durationMs: 500, maxInFlight: 1000, timeoutMs: 5000 },
      singleServer(10),
    );
    expect(result.requests).toBe(100);
    expect(result.ok).toBe(100);
    // Each request is served in 10 ms, but the last one is answered ~500 ms after it was due.
    expect(result.latency.p50_ms).toBeGreaterThan(150);
    expect(result.latency.max_ms).toBeGreaterThan(400);
    // Throughput is the server's, not the offered rate.
    expect(result.achieved_rps).toBeGreaterThan(70);
    expect(result.achieved_rps).toBeLessThan(130);
  });

  it('keeps up with a fast server: latency near the service time, achieved ≈ offered', async () => {
    const result = await runOpenLoop(
      { ratePerSecond: 400, warmupMs: 100, durationMs: 500, maxInFlight: 100, timeoutMs: 5000 },
      async () => {
        await sleep(2);
        return { kind: 'ok' };
      },
    );
    expect(result.requests).toBe(200);
    expect(result.errors).toEqual({});
    expect(result.latency.p50_ms).toBeLessThan(30);
    expect(result.achieved_rps).toBeGreaterThan(300);
    expect(result.achieved_rps).toBeLessThan(500);
  });

  it('marks the measured window once each, start before end, even when the last answer beats the window end', async () => {
    const marks: string[] = [];
    await runOpenLoop(
      { ratePerSecond: 20, warmupMs: 100, durationMs: 200, maxInFlight: 10, timeoutMs: 1000 },
      async () => ({ kind: 'ok' }),
      { onWindowStart: () => marks.push('start'), onWindowEnd: () => marks.push('end') },
    );
    expect(marks).toEqual(['start', 'end']);
  });

  it('leaves the warm-up out of the statistics', async () => {
    const seen: number[] = [];
    const result = await runOpenLoop(
      { ratePerSecond: 100, warmupMs: 200, durationMs: 300, maxInFlight: 10, timeoutMs: 1000 },
      async (index) => {
        seen.push(index);
        return { kind: 'ok' };
      },
      { kindOf: () => 'home' },
    );
    expect(seen).toHaveLength(50);
    expect(result.requests).toBe(30);
    expect(result.by_kind.home?.requests).toBe(30);
  });

  it('never has more than maxInFlight outstanding; a hung server makes every request a timeout', async () => {
    let outstanding = 0;
    let most = 0;
    // Nothing is answered: each request ends when its time (counted from its intended time) is up.
    const result = await runOpenLoop(
      { ratePerSecond: 200, warmupMs: 0, durationMs: 300, maxInFlight: 5, timeoutMs: 100 },
      async (_index, budgetMs) => {
        outstanding += 1;
        most = Math.max(most, outstanding);
        await sleep(budgetMs);
        outstanding -= 1;
        return { kind: 'timeout' };
      },
    );
    expect(most).toBeLessThanOrEqual(5);
    expect(result.max_in_flight).toBe(5);
    expect(result.ok).toBe(0);
    expect((result.errors.timeout ?? 0) + (result.errors.timeout_not_sent ?? 0)).toBe(result.requests);
    expect(result.error_rate).toBe(1);
    expect(result.latency.max_ms).toBeLessThan(100 + 60);
  });

  it('gives up, unsent, on requests that waited in the generator past the timeout', async () => {
    // A request that holds its slot for 250 ms while the timeout is 100 ms: those queued
    // behind it are past their time before a slot frees, and are never sent.
    const sent: number[] = [];
    const result = await runOpenLoop(
      { ratePerSecond: 100, warmupMs: 0, durationMs: 300, maxInFlight: 1, timeoutMs: 100 },
      async (index) => {
        sent.push(index);
        await sleep(250);
        return { kind: 'timeout' };
      },
    );
    expect(result.requests).toBe(30);
    expect(sent.length).toBeLessThan(5);
    expect(result.errors.timeout_not_sent).toBe(30 - sent.length);
    expect(result.errors.timeout).toBe(sent.length);
  });
});

describe('httpRequest through the open loop', () => {
  let server: http.Server;
  let origin: URL;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/slow') {
        setTimeout(() => response.end('late'), 500);
      } else if (request.url === '/busy') {
        response.statusCode = 503;
        response.end();
      } else {
        response.end('{"ok":true}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sorts answers into ok, HTTP status, timeout and connection errors', async () => {
    const agent = keepAliveAgent(20);
    const paths = ['/ok', '/busy', '/slow', '/ok'];
    const result = await runOpenLoop(
      { ratePerSecond: 100, warmupMs: 0, durationMs: 200, maxInFlight: 20, timeoutMs: 150 },
      async (index, budgetMs) => {
        const answer = await httpRequest(agent, origin, { method: 'GET', path: paths[index % 4] as string }, budgetMs);
        if (answer.kind !== 'answer') return answer;
        return answer.status === 200 ? { kind: 'ok' } : { kind: 'http', status: answer.status };
      },
    );
    agent.destroy();
    expect(result).toMatchObject({ requests: 20, ok: 10, errors: { http_503: 5, timeout: 5 } });

    const closed = await httpRequest(
      keepAliveAgent(1),
      new URL('http://127.0.0.1:1'),
      { method: 'GET', path: '/' },
      1000,
    );
    expect(closed).toEqual({ kind: 'connection', code: 'ECONNREFUSED' });
  });

  it('reads the body only when asked', async () => {
    const agent = keepAliveAgent(1);
    expect(await httpRequest(agent, origin, { method: 'GET', path: '/ok' }, 1000, true)).toEqual({
      kind: 'answer',
      status: 200,
      body: '{"ok":true}',
    });
    expect(await httpRequest(agent, origin, { method: 'GET', path: '/ok' }, 1000)).toEqual({
      kind: 'answer',
      status: 200,
      body: '',
    });
    agent.destroy();
  });
});
