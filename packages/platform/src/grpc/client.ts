/**
 * gRPC clients: one channel per address, and the same middleware on every client —
 * a default deadline on every call, retries only for methods marked idempotent in the
 * proto (and only on UNAVAILABLE), and rich error details decoded for the caller.
 */
import {
  type Channel,
  ChannelCredentials,
  type Client,
  type ClientMiddleware,
  type CompatServiceDefinition,
  createChannel,
  createClientFactory,
} from 'nice-grpc';
import { type DeadlineOptions, deadlineMiddleware } from 'nice-grpc-client-middleware-deadline';
import { type RetryOptions, retryMiddleware } from 'nice-grpc-client-middleware-retry';
import { Status } from 'nice-grpc-common';
import { errorDetailsClientMiddleware } from 'nice-grpc-error-details';
import { openTelemetryClientMiddleware } from 'nice-grpc-opentelemetry';
import type { Registry } from 'prom-client';
import { grpcClientMetricsMiddleware } from '../telemetry/grpc-metrics.js';
import { tracingEnabled } from '../telemetry/tracing.js';

export interface ClientOptions {
  /** Applied when a call sets no deadline of its own. */
  defaultDeadlineMs: number;
  retryMaxAttempts?: number;
  /** The metrics registry of the process part that makes the calls. */
  registry?: Registry;
}

function defaultDeadline(ms: number): ClientMiddleware<DeadlineOptions, DeadlineOptions> {
  return async function* withDefaultDeadline(call, options) {
    return yield* call.next(call.request, { ...options, deadline: options.deadline ?? new Date(Date.now() + ms) });
  };
}

/**
 * The options of every channel. grpc-js backs off between reconnect attempts from 1 s up
 * to 120 s (×1.6 each time): a service down for half a minute then stays unreachable for
 * 20–30 s after it is back. Our peers are few and near, so attempts are cheap: capped at
 * 1 s, a restarted service is reached again within about a second of listening.
 */
const CHANNEL_OPTIONS = {
  // Round-robin matters for `dns:///` names of headless Services: one HTTP/2 connection
  // would otherwise pin every call to one pod.
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
  'grpc.keepalive_time_ms': 30_000,
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1000,
  // Channelz (grpc-js's per-call bookkeeping for its debug service) is on by default; Wren
  // serves no channelz, so it is pure cost on every call.
  'grpc.enable_channelz': 0,
} as const;

/** Waits before the retries of a call: 50–100 ms, then 100–200 ms. */
const RETRY_BASE_DELAY_MS = 100;

function channelFor(address: string): Channel {
  return createChannel(address, ChannelCredentials.createInsecure(), CHANNEL_OPTIONS);
}

/** Per-call options every Wren client understands, besides metadata and signal. */
export type WrenCallOptions = DeadlineOptions & RetryOptions;

export interface ClientPool {
  client<Def extends CompatServiceDefinition>(definition: Def, address: string): Client<Def, WrenCallOptions>;
  close(): void;
}

export function createClientPool(options: ClientOptions): ClientPool {
  const channels = new Map<string, Channel>();
  // Outermost first: one span and one measurement per logical call, retries included.
  let factory = createClientFactory();
  if (tracingEnabled()) factory = factory.use(openTelemetryClientMiddleware());
  if (options.registry) factory = factory.use(grpcClientMetricsMiddleware(options.registry));
  const wrenFactory = factory
    .use(errorDetailsClientMiddleware)
    .use(retryMiddleware)
    .use(deadlineMiddleware)
    .use(defaultDeadline(options.defaultDeadlineMs));
  return {
    client(definition, address) {
      let channel = channels.get(address);
      if (!channel) {
        channel = channelFor(address);
        channels.set(address, channel);
      }
      return wrenFactory.create(definition, channel, {
        '*': {
          retryMaxAttempts: options.retryMaxAttempts ?? 2,
          retryableStatuses: [Status.UNAVAILABLE],
          // Enough to ride over a dropped connection; not the library's 1 s and 2 s, which
          // made every request during an outage (a database away) take up to 3 s to fail.
          retryBaseDelayMs: RETRY_BASE_DELAY_MS,
        },
      }) as unknown as Client<typeof definition, WrenCallOptions>;
    },
    close() {
      for (const channel of channels.values()) channel.close();
      channels.clear();
    },
  };
}
