import {
  type EnvReader,
  LOG_LEVELS,
  type LogLevel,
  readAdminAddress,
  readConfig,
  readTokenConfig,
  type TokenConfig,
} from '@wren/platform';

export interface RateLimitConfig {
  /** Requests per window for everything not listed below, per client (user, else IP). */
  globalMax: number;
  /** Login and register attempts per window, per IP. */
  authMax: number;
  windowMs: number;
  /**
   * Where replicas share their counts (`redis://…`); unset, each process counts in its own
   * memory, which is right for a single gateway.
   */
  redisUrl: string | undefined;
}

export interface GatewayConfig {
  host: string;
  port: number;
  /** The admin HTTP port: /metrics and /healthz, off the public port. */
  adminHost: string;
  adminPort: number;
  logLevel: LogLevel;
  tokens: TokenConfig;
  userServiceAddr: string;
  postServiceAddr: string;
  notificationServiceAddr: string;
  grpcDeadlineMs: number;
  /** Allowed CORS origins; empty means no cross-origin access. `*` allows any. */
  corsOrigins: string[];
  rateLimit: RateLimitConfig;
  bodyLimitBytes: number;
  /** Trust X-Forwarded-For from the proxy in front (the client IP for rate limits and sessions). */
  trustProxy: boolean;
  /** Base URL shown in the OpenAPI document's `servers`. */
  publicUrl: string | undefined;
  shutdownGraceMs: number;
  /**
   * Open notification streams (SSE) one user may hold at once, counted by this process: with
   * N gateway replicas a user may hold up to N × this many.
   */
  streamsPerUserMax: number;
}

export function readGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return readConfig(
    (reader: EnvReader) => ({
      host: reader.string('HOST', { default: '0.0.0.0' }),
      port: reader.int('PORT', { default: 8080, min: 0, max: 65535 }),
      ...readAdminAddress(reader, 9460),
      logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, { default: 'info' }),
      tokens: readTokenConfig(reader),
      userServiceAddr: reader.string('USER_SERVICE_ADDR'),
      postServiceAddr: reader.string('POST_SERVICE_ADDR'),
      notificationServiceAddr: reader.string('NOTIFICATION_SERVICE_ADDR'),
      grpcDeadlineMs: reader.int('GRPC_DEADLINE_MS', { default: 5000, min: 100 }),
      corsOrigins: reader.list('CORS_ORIGINS', { default: [] }),
      rateLimit: {
        globalMax: reader.int('RATE_LIMIT_MAX', { default: 600, min: 1 }),
        authMax: reader.int('RATE_LIMIT_AUTH_MAX', { default: 10, min: 1 }),
        windowMs: reader.int('RATE_LIMIT_WINDOW_MS', { default: 60_000, min: 1000 }),
        redisUrl: reader.optionalUrl('RATE_LIMIT_REDIS_URL', { protocols: ['redis', 'rediss'] }),
      },
      bodyLimitBytes: reader.int('BODY_LIMIT_BYTES', { default: 64 * 1024, min: 1024 }),
      trustProxy: reader.bool('TRUST_PROXY', { default: false }),
      publicUrl: reader.optionalUrl('PUBLIC_URL', { protocols: ['http', 'https'] }),
      shutdownGraceMs: reader.int('SHUTDOWN_GRACE_MS', { default: 10_000, min: 0 }),
      streamsPerUserMax: reader.int('STREAMS_PER_USER_MAX', { default: 5, min: 1 }),
    }),
    env,
  );
}
