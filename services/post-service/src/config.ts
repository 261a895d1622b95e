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
}

export function readPostServiceConfig(env: Record<string, string | undefined> = process.env): PostServiceConfig {
  return readConfig(
    (reader) => ({
      ...readBaseServiceConfig(reader, { grpcPort: 50052 }),
      tokens: readTokenConfig(reader),
      userServiceAddr: reader.string('USER_SERVICE_ADDR'),
      grpcDeadlineMs: reader.int('GRPC_DEADLINE_MS', { default: 5000, min: 100 }),
    }),
    env,
  );
}
