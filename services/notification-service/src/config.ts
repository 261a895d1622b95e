import {
  type BaseServiceConfig,
  ConfigError,
  type EnvReader,
  readBaseServiceConfig,
  readConfig,
  readTokenConfig,
  type TokenConfig,
} from '@wren/platform';
import { checkVapidPair, parseVapidSubject } from './delivery/vapid.js';

export interface PushConfig {
  vapid: { publicKey: string; privateKey: string; subject: string };
  /** Lets subscriptions point at private, loopback and link-local hosts: development and tests only. */
  allowPrivateEndpoints: boolean;
  expoBaseUrl: string;
  expoAccessToken: string | undefined;
  /** Seconds a push service keeps an undelivered Web Push message. */
  webPushTtlSeconds: number;
  delivery: DeliveryTuning;
}

export interface DeliveryTuning {
  /** Web Push requests and Expo batches in flight per process; 0 runs no worker here. */
  concurrency: number;
  /** Sends per delivery (first one included) before it is recorded as failed. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  pollIntervalMs: number;
  /** How long a claim holds a row; a crashed worker's rows come back after it. */
  leaseMs: number;
  /** How long after an Expo ticket its receipt is first asked for. */
  receiptDelayMs: number;
  /**
   * How long after a notification its push waits for an actor the replica does not know yet
   * (their user-service event is still on its way), rather than saying "Someone".
   */
  actorWaitMs: number;
}

export interface NotificationServiceConfig extends BaseServiceConfig {
  tokens: TokenConfig;
  userServiceAddr: string;
  grpcDeadlineMs: number;
  /** How long an open notification stream may stay silent before a heartbeat is sent. */
  streamHeartbeatMs: number;
  push: PushConfig;
}

function readPushConfig(reader: EnvReader): PushConfig {
  const publicKey = reader.string('VAPID_PUBLIC_KEY');
  const privateKey = reader.string('VAPID_PRIVATE_KEY');
  const subject = reader.custom('VAPID_SUBJECT', parseVapidSubject);
  const delivery: DeliveryTuning = {
    concurrency: reader.int('PUSH_WORKER_CONCURRENCY', { default: 16, min: 0, max: 1000 }),
    maxAttempts: reader.int('PUSH_MAX_ATTEMPTS', { default: 8, min: 1, max: 100 }),
    backoffBaseMs: reader.int('PUSH_BACKOFF_BASE_MS', { default: 2000, min: 1 }),
    backoffMaxMs: reader.int('PUSH_BACKOFF_MAX_MS', { default: 3_600_000, min: 1 }),
    requestTimeoutMs: reader.int('PUSH_REQUEST_TIMEOUT_MS', { default: 10_000, min: 100 }),
    pollIntervalMs: reader.int('PUSH_POLL_INTERVAL_MS', { default: 500, min: 10 }),
    leaseMs: reader.int('PUSH_LEASE_MS', { default: 60_000, min: 100 }),
    receiptDelayMs: reader.int('EXPO_RECEIPT_DELAY_MS', { default: 15 * 60_000, min: 0 }),
    actorWaitMs: reader.int('PUSH_ACTOR_WAIT_MS', { default: 5000, min: 0, max: 600_000 }),
  };
  return {
    vapid: { publicKey, privateKey, subject },
    allowPrivateEndpoints: reader.bool('PUSH_ALLOW_PRIVATE_ENDPOINTS', { default: false }),
    expoBaseUrl: reader.url('EXPO_BASE_URL', { default: 'https://exp.host', protocols: ['https', 'http'] }),
    expoAccessToken: reader.optionalString('EXPO_ACCESS_TOKEN'),
    webPushTtlSeconds: reader.int('WEB_PUSH_TTL_SECONDS', { default: 86_400, min: 0, max: 2_419_200 }),
    delivery,
  };
}

/** What the reader cannot check one variable at a time. */
function pushProblems(push: PushConfig): string[] {
  const problems: string[] = [];
  if (push.vapid.publicKey && push.vapid.privateKey) {
    try {
      checkVapidPair(push.vapid.publicKey, push.vapid.privateKey);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const { delivery } = push;
  // A lease shorter than one request would hand a row to a second worker while the first sends.
  if (delivery.leaseMs <= delivery.requestTimeoutMs) {
    problems.push('PUSH_LEASE_MS must be longer than PUSH_REQUEST_TIMEOUT_MS');
  }
  if (delivery.backoffMaxMs < delivery.backoffBaseMs) {
    problems.push('PUSH_BACKOFF_MAX_MS must be at least PUSH_BACKOFF_BASE_MS');
  }
  return problems;
}

export function readNotificationServiceConfig(
  env: Record<string, string | undefined> = process.env,
): NotificationServiceConfig {
  const config = readConfig(
    (reader) => ({
      ...readBaseServiceConfig(reader, { grpcPort: 50053, adminPort: 9463 }),
      tokens: readTokenConfig(reader),
      userServiceAddr: reader.string('USER_SERVICE_ADDR'),
      grpcDeadlineMs: reader.int('GRPC_DEADLINE_MS', { default: 5000, min: 100 }),
      streamHeartbeatMs: reader.int('STREAM_HEARTBEAT_MS', { default: 15_000, min: 10 }),
      push: readPushConfig(reader),
    }),
    env,
  );
  const problems = pushProblems(config.push);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
