import {
  type BaseServiceConfig,
  readBaseServiceConfig,
  readConfig,
  readTokenConfig,
  type TokenConfig,
} from '@wren/platform';

export interface PostServiceConfig extends BaseServiceConfig {
  tokens: TokenConfig;
  userServiceAddr: string;
  grpcDeadlineMs: number;
  /** How often expired idempotency keys (older than 24 h) are deleted. */
  idempotencySweepIntervalMs: number;
}

export function readPostServiceConfig(env: Record<string, string | undefined> = process.env): PostServiceConfig {
  return readConfig(
    (reader) => ({
      ...readBaseServiceConfig(reader, { grpcPort: 50052 }),
      tokens: readTokenConfig(reader),
      userServiceAddr: reader.string('USER_SERVICE_ADDR'),
      grpcDeadlineMs: reader.int('GRPC_DEADLINE_MS', { default: 5000, min: 100 }),
      idempotencySweepIntervalMs: reader.int('IDEMPOTENCY_SWEEP_INTERVAL_MS', { default: 3_600_000, min: 1000 }),
    }),
    env,
  );
}
