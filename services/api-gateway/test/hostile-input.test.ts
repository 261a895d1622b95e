/**
 * What a fuzzer sends, refused by the gateway itself — before any service is called — as a
 * 400-class problem+json naming the field, never a 500 and never the input quoted back:
 * numbers that are not finite, text PostgreSQL cannot store, URLs the router cannot decode,
 * and HTTP that Node's parser cannot read.
 */
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

const SOME_ID = '0190f2a0-0000-7000-8000-000000000001';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => {
  h.user.reset();
  h.post.reset();
  h.notification.reset();
});

const serviceCalls = () => [...h.user.calls, ...h.post.calls, ...h.notification.calls];

/** Every GET operation of the OpenAPI document that takes `?limit=`, with its path filled in. */
async function paginatedPaths(): Promise<string[]> {
  const document = (await (await h.fetch('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  return Object.entries(document.paths)
    .filter(([, operations]) => operations.get?.parameters?.some((p) => p.in === 'query' && p.name === 'limit'))
    .map(([path]) => path.replace('{id}', SOME_ID).replace('{username}', 'ada'));
}

describe('numbers that are not finite', () => {
  test('the document lists the paginated routes this checks', async () => {
    expect((await paginatedPaths()).length).toBeGreaterThanOrEqual(9);
  });

  test.each(['Infinity', '-Infinity', '%2BInfinity', '1e400', '-1e400'])(
    'limit=%s is a 400 naming limit on every paginated route',
    async (value) => {
      for (const path of await paginatedPaths()) {
        const response = await h.fetch(`${path}?limit=${value}`, { token });
        await expectProblem(response, 400, 'validation-failed', { fields: ['limit'] });
      }
      expect(serviceCalls()).toEqual([]);
    },
  );
});

describe('text PostgreSQL cannot store', () => {
  const idempotent = { 'idempotency-key': 'k-1' };
  test.each([
    ['a NUL in a body field', 'DELETE', '/v1/push/expo/tokens', { token: 'a\u0000b' }, ['token']],
    [
      'a NUL in a nested body field',
      'DELETE',
      '/v1/push/web/subscriptions',
      { endpoint: 'https://x/\u0000' },
      ['endpoint'],
    ],
    ['a NUL in post text', 'POST', '/v1/posts', { text: 'hi\u0000' }, ['text']],
    ['an unpaired surrogate in a bio', 'PATCH', '/v1/me', { bio: 'x\ud800y' }, ['bio']],
    ['a lone low surrogate', 'PATCH', '/v1/me', { displayName: '\udc00' }, ['displayName']],
    ['a NUL in a login', 'POST', '/v1/auth/login', { login: 'ada\u0000', password: 'p' }, ['login']],
  ])('%s', async (_what, method, path, json, fields) => {
    const problem = await expectProblem(
      await h.fetch(path, { method, json, token, headers: idempotent }),
      400,
      'validation-failed',
      { fields },
    );
    expect(problem.errors?.[0]?.message).toMatch(/NUL|surrogate/);
    expect(serviceCalls()).toEqual([]);
  });

  // Today every query and path parameter also has a pattern that a NUL fails; the reason
  // given is the NUL all the same, whatever a parameter's own rules become.
  test('a NUL in a query parameter', async () => {
    const problem = await expectProblem(
      await h.fetch(`/v1/posts/${SOME_ID}/comments?parentId=%00`, { token }),
      400,
      'validation-failed',
      { fields: ['parentId'] },
    );
    expect(problem.errors?.[0]?.message).toMatch(/NUL/);
    expect(serviceCalls()).toEqual([]);
  });

  test('a NUL in a path parameter', async () => {
    const problem = await expectProblem(
      await h.fetch('/v1/users/ada%00/followers', { token }),
      400,
      'validation-failed',
      {
        fields: ['username'],
      },
    );
    expect(problem.errors?.[0]?.message).toMatch(/NUL/);
    expect(serviceCalls()).toEqual([]);
  });

  test('emoji (surrogate pairs) are fine', async () => {
    h.user.on('updateMe', async () => ({ account: undefined }));
    const response = await h.fetch('/v1/me', { method: 'PATCH', json: { bio: 'hi 🐦' }, token });
    expect(response.status).not.toBe(400);
    expect(h.user.calls.map((call) => call.request)).toEqual([{ bio: 'hi 🐦' }]);
  });
});

/** Sends raw bytes and reads the whole answer (every answer here closes the connection). */
function rawExchange(request: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('connect', () => socket.write(request));
    // A server that keeps the connection open has answered by then.
    socket.setTimeout(3000, () => socket.end());
  });
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseAnswer(raw: string): RawAnswer {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

function expectRawProblem(raw: string, status: number, kind: string): Record<string, unknown> {
  const answer = parseAnswer(raw);
  expect(answer.status, raw).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `urn:problem-type:wren:${kind}`, status });
  expect(body.requestId).toBe(answer.headers['x-request-id']);
  return body;
}

const get = (target: string, extraHeaders = '') =>
  `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${extraHeaders}\r\n`;

describe('what the router cannot decode', () => {
  test('a path that is not UTF-8 (FST_ERR_BAD_URL) is a 400, and the path is not quoted back', async () => {
    const raw = await rawExchange(get('/v1/users/%FF%FE"<b>x</b>'));
    const body = expectRawProblem(raw, 400, 'malformed-request');
    expect(parseAnswer(raw).body).not.toContain('<b>');
    expect(parseAnswer(raw).body).not.toContain('\\"<');
    expect(body.instance).toBe('/v1/users/%FF%FE%22%3Cb%3Ex%3C/b%3E');
  });

  test('an over-long path parameter (FST_ERR_MAX_PARAM_LENGTH) is a 414', async () => {
    const raw = await rawExchange(get(`/v1/users/${'a'.repeat(150)}<i>/followers`));
    expectRawProblem(raw, 414, 'uri-too-long');
    expect(parseAnswer(raw).body).not.toContain('<i>');
  });

  test('an unknown route says which, escaped', async () => {
    const raw = await rawExchange(get('/v1/nothing<script>here'));
    const body = expectRawProblem(raw, 404, 'not-found');
    expect(parseAnswer(raw).body).not.toContain('<script>');
    expect(body.detail).toBe('No route GET /v1/nothing%3Cscript%3Ehere');
  });
});

describe('what Node’s HTTP parser cannot read', () => {
  test('headers over the size limit are a 431', async () => {
    const raw = await rawExchange(get('/v1/me', `X-Big: ${'a'.repeat(20_000)}\r\n`));
    const body = expectRawProblem(raw, 431, 'headers-too-large');
    expect(raw).not.toContain('aaaaaaaaaa');
    expect(body).not.toHaveProperty('instance');
  });

  test.each([
    ['not HTTP at all', '<script>alert(1)</script>\r\n\r\n'],
    ['a bad Content-Length', 'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: <b>\r\n\r\n'],
    ['a header without a colon', 'GET /v1/me HTTP/1.1\r\nHost: x\r\n<b>bad header</b>\r\n\r\n'],
    ['an unknown HTTP version', 'GET /<b> HTTP/9.9\r\nHost: x\r\n\r\n'],
  ])('%s is a 400', async (_what, request) => {
    const raw = await rawExchange(request);
    expectRawProblem(raw, 400, 'malformed-request');
    expect(raw).not.toContain('<b>');
    expect(raw).not.toContain('<script>');
  });
});
