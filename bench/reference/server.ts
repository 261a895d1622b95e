/**
 * The reference server's process (started by launcher.ts): Fastify and a pg pool in one
 * Node process, the yardstick Wren's CPU per request is compared against (README.md).
 * Environment: DATABASE_URL (the wren_reference database), REFERENCE_JWT_PUBLIC_KEY (PEM
 * or JWK), PORT (0: any free port). It prints one line when it listens, and no request logs.
 */
import pg from 'pg';
import { buildApp } from './app.js';
import { publicKeyFrom } from './verify-token.js';

const POOL_SIZE = 16;

const databaseUrl = process.env.DATABASE_URL;
const publicKeyText = process.env.REFERENCE_JWT_PUBLIC_KEY;
if (!databaseUrl || !publicKeyText) {
  console.error('[reference] DATABASE_URL and REFERENCE_JWT_PUBLIC_KEY are required');
  process.exit(2);
}

const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
// An idle connection that dies is replaced on the next checkout; it must not kill the process.
pool.on('error', (error) => console.error(`[reference] idle connection: ${error.message}`));
const app = buildApp(pool, publicKeyFrom(publicKeyText));
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ host, port: Number(process.env.PORT ?? 0) });
const address = app.server.address();
console.log(`[reference] listening on ${host}:${typeof address === 'object' && address ? address.port : '?'}`);

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
