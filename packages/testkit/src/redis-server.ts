/**
 * A Redis server of our own, on a free port, for tests and the chaos harness: never the
 * machine's Redis, which other work may be using. Nothing is persisted.
 */
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';
import { eventually, spawnWatched } from './process.js';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** `port`: to start one again where a stopped one was, as a restarted Redis would be. */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const { child, output, exited } = spawnWatched(process.env.REDIS_SERVER ?? 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new Error(`redis-server could not start: ${error.message}`))),
  );
  await Promise.race([
    eventually(async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output()}`);
      return answersPing(port);
    }, 10_000),
    spawnFailed,
  ]);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
