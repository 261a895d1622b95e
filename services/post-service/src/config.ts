import {
  type BaseServiceConfig,
  readBaseServiceConfig,
  readConfig,
  readOutboxSubscribers,
  readTokenConfig,
  type SubscriberAddress,
  type TokenConfig,
} from '@wren/platform';

export interface PostServiceConfig extends BaseServiceConfig {
  tokens: TokenConfig;
  userServiceAddr: string;
  grpcDeadlineMs: number;
  /** How often expired idempotency keys (older than 24 h) are deleted. */
  idempotencySweepIntervalMs: number;
  /** The services that receive post-service's events (notification-service). */
  outboxSubscribers: SubscriberAddress[];
  /** Proves post-service to user-service for a service credential (the relay needs one). */
  serviceClientSecret: string;
}

export function readPostServiceConfig(env: Record<string, string | undefined> = process.env): PostServiceConfig {
  return readConfig((reader) => {
    const outboxSubscribers = readOutboxSubscribers(reader);
    return {
      ...readBaseServiceConfig(reader, { grpcPort: 50052, adminPort: 9462 }),
      tokens: readTokenConfig(reader),
      userServiceAddr: reader.string('USER_SERVICE_ADDR'),
      grpcDeadlineMs: reader.int('GRPC_DEADLINE_MS', { default: 5000, min: 100 }),
      idempotencySweepIntervalMs: reader.int('IDEMPOTENCY_SWEEP_INTERVAL_MS', { default: 3_600_000, min: 1000 }),
      outboxSubscribers,
      serviceClientSecret:
        outboxSubscribers.length > 0
          ? reader.string('SERVICE_CLIENT_SECRET')
          : (reader.optionalString('SERVICE_CLIENT_SECRET') ?? ''),
    };
  }, env);
}
