import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { activeTraceIds } from './telemetry/trace-context.js';
import { tracingEnabled } from './telemetry/tracing.js';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * One JSON logger per process; `service` is on every line, and `traceId`/`spanId` of the
 * active span on every line written inside a traced operation. `destination` is stdout
 * unless given (a test that reads what a process logs).
 */
export function createLogger(service: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions<never> = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => (tracingEnabled() ? (activeTraceIds() ?? {}) : {}),
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'refreshToken', '*.refreshToken'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
