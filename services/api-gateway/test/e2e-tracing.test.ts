/**
 * One request is one trace, across processes: Wren runs as four real processes exporting by
 * OTLP/HTTP to a local receiver. B likes A's post with a `traceparent` of the test's own;
 * the spans of that trace come from the gateway, post-service (its RPC and its SQL), the
 * outbox relay, notification-service applying the event, and the Web Push delivery.
 */
import { randomBytes } from 'node:crypto';
import { eventually, type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@wren/testkit';
import { startWebPushReceiver, type WebPushReceiver } from '@wren/testkit/push';
import { type ProcessSystem, startSystemAsProcesses } from '@wren/testkit/system-processes';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerUser } from './support/api.js';
import { send } from './support/harness.js';

let otlp: OtlpReceiver;
let push: WebPushReceiver;
let system: ProcessSystem;

beforeAll(async () => {
  otlp = await startOtlpReceiver();
  push = await startWebPushReceiver();
  system = await startSystemAsProcesses({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'info' },
  });
}, 60_000);
afterAll(async () => {
  await system?.stop();
  await push?.close();
  await otlp?.close();
});

function traceparent() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

const SERVER = 2;
const from = (spans: ReceivedSpan[], service: string) => spans.filter((span) => span.service === service);

test('a like is one trace: gateway → post-service → SQL → outbox → notification-service → Web Push', async () => {
  const ana = await registerUser(system.gatewayUrl, 'trace_ana');
  const ben = await registerUser(system.gatewayUrl, 'trace_ben');
  const subscription = push.subscribe();
  const subscribed = await send(system.gatewayUrl, '/v1/push/web/subscriptions', {
    method: 'POST',
    token: ana.tokens.accessToken,
    json: { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
  });
  expect(subscribed.status).toBe(201);
  const created = await send(system.gatewayUrl, '/v1/posts', {
    method: 'POST',
    token: ana.tokens.accessToken,
    json: { text: 'traced post' },
  });
  const post = (await created.json()) as { id: string };

  const caller = traceparent();
  const liked = await send(system.gatewayUrl, `/v1/posts/${post.id}/like`, {
    method: 'PUT',
    token: ben.tokens.accessToken,
    headers: { traceparent: caller.header },
  });
  expect(liked.status).toBe(200);

  const spans = await otlp.waitForTrace(caller.traceId, (trace) =>
    trace.some((span) => span.service === 'notification-service' && span.name === 'push web'),
  );
  // The gateway continued the caller's trace: its server span is the caller's child.
  const gateway = from(spans, 'api-gateway').find((span) => span.kind === SERVER);
  expect(gateway?.name).toBe('PUT /v1/posts/:id/like');
  expect(gateway?.parentSpanId).toBe(caller.spanId);
  expect(gateway?.attributes['http.response.status_code']).toBe(200);
  // post-service served the RPC under it and ran SQL inside the RPC.
  const rpc = from(spans, 'post-service').find((span) => span.kind === SERVER && span.name.includes('ReactionService'));
  expect(rpc).toBeDefined();
  const sql = from(spans, 'post-service').filter((span) => span.attributes['db.system.name'] === 'postgresql');
  expect(sql.length).toBeGreaterThan(0);
  expect(sql.some((span) => span.parentSpanId === rpc?.spanId)).toBe(true);
  // The statement text is parameterised: the post id is not in it.
  expect(sql.every((span) => !String(span.attributes['db.query.text']).includes(post.id))).toBe(true);
  // The event crossed the outbox and notification-service applied it in the same trace.
  expect(from(spans, 'post-service').some((span) => span.name === 'outbox deliver notification-service')).toBe(true);
  expect(from(spans, 'notification-service').some((span) => span.name === 'event apply postLiked')).toBe(true);
  expect(from(spans, 'notification-service').some((span) => span.attributes['db.system.name'] === 'postgresql')).toBe(
    true,
  );
  // And the push it queued was delivered in that trace too.
  await push.waitFor(1, (received) => received.subscriptionId === subscription.id, 10_000);
  // Nothing of this request leaked into another trace, and ids are all well-formed.
  for (const span of spans) expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
});

test('a refused request names its trace in problem+json and in the gateway log', async () => {
  const caller = traceparent();
  const missing = await send(system.gatewayUrl, '/v1/users/no_such_user_here', {
    headers: { traceparent: caller.header },
  });
  expect(missing.status).toBe(404);
  const problem = (await missing.json()) as { traceId?: string; requestId: string };
  expect(problem.traceId).toBe(caller.traceId);
  await otlp.waitForTrace(caller.traceId, (trace) => trace.some((span) => span.service === 'user-service'));
  // The gateway's log line arrives through its stdout pipe: wait for it rather than race it.
  await eventually(async () => system.output().includes(`"traceId":"${caller.traceId}"`), 10_000);
});

test('an untraced request starts a trace of its own', async () => {
  const before = new Set(otlp.spans.map((span) => span.traceId));
  const answer = await send(system.gatewayUrl, '/v1/users/no_such_user_either');
  const problem = (await answer.json()) as { traceId?: string };
  expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(before.has(problem.traceId as string)).toBe(false);
  await otlp.waitForTrace(problem.traceId as string, (trace) =>
    trace.some((span) => span.service === 'api-gateway' && span.kind === SERVER),
  );
});
