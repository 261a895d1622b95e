/**
 * How every Wren process starts and stops: a bad configuration ends it with a message that
 * names the variables; SIGTERM or SIGINT stops it gracefully (the service's `stop` drains
 * and closes) and exits 0; a second signal, or a stop that hangs, exits at once.
 * Tracing is set up first (when OTEL_EXPORTER_OTLP_ENDPOINT is set) and flushed last.
 */
import { ConfigError } from './config.js';
import { startTracing, type Tracing } from './telemetry/tracing.js';

export interface Stoppable {
  stop(): Promise<void>;
}

export interface RunOptions {
  name: string;
  /** Upper bound for `stop`; past it the process exits 1. */
  stopTimeoutMs?: number;
  log?: { info(msg: string): void; error(obj: unknown, msg: string): void };
}

export function runMain(start: () => Promise<Stoppable>, options: RunOptions): void {
  const log = options.log ?? {
    info: (msg: string) => console.error(`[${options.name}] ${msg}`),
    error: (obj: unknown, msg: string) => console.error(`[${options.name}] ${msg}`, obj),
  };
  let running: Stoppable | undefined;
  let tracing: Tracing = { shutdown: async () => {} };
  let stopping = false;

  const stop = async (signal: string) => {
    if (stopping) {
      log.info(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log.info(`${signal}: shutting down`);
    const timer = setTimeout(() => {
      log.error({}, 'shutdown took too long; exiting');
      process.exit(1);
    }, options.stopTimeoutMs ?? 30_000);
    timer.unref();
    try {
      await running?.stop();
      await tracing.shutdown().catch((error: unknown) => log.error(error, 'flushing traces failed'));
      process.exit(0);
    } catch (error) {
      log.error(error, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Started by `npm start` with an IPC channel: when the launcher dies, stop with it instead
  // of holding the ports that its next run needs.
  if (process.send) process.on('disconnect', () => void stop('launcher gone'));
  process.on('unhandledRejection', (error) => {
    log.error(error, 'unhandled rejection');
    process.exit(1);
  });

  try {
    tracing = startTracing(options.name);
  } catch (error) {
    console.error(`[${options.name}] ${(error as Error).message}`);
    process.exit(1);
  }
  start().then(
    (started) => {
      running = started;
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(`[${options.name}] ${error.message}`);
      } else {
        log.error(error, 'failed to start');
      }
      process.exit(1);
    },
  );
}
