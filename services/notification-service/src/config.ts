import {
  type BaseServiceConfig,
  readBaseServiceConfig,
  readConfig,
  readTokenConfig,
  type TokenConfig,
} from '@wren/platform';

export interface NotificationServiceConfig extends BaseServiceConfig {
  tokens: TokenConfig;
  userServiceAddr: string;
  grpcDeadlineMs: number;
}

export function readNotificationServiceConfig(
  env: Record<string, string | undefined> = process.env,
): NotificationServiceConfig {
  return readConfig(
    (reader) => ({
      ...readBaseServiceConfig(reader, { grpcPort: 50053 }),
      tokens: readTokenConfig(reader),
      userServiceAddr: reader.string('USER_SERVICE_ADDR'),
      grpcDeadlineMs: reader.int('GRPC_DEADLINE_MS', { default: 5000, min: 100 }),
    }),
    env,
  );
}
