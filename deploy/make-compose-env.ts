/**
 * Prints the secrets of the compose stack as an env file, made with the same generators as
 * `npm start`, `npm run keys:jwt` and `npm run keys:vapid`:
 *
 *   node --import tsx deploy/make-compose-env.ts > deploy/.env
 *
 * Run it once and keep the file (it is gitignored): the database passwords are set when
 * PostgreSQL's volume is first created, and browsers' Web Push subscriptions are tied to the
 * VAPID key. Making a new file for an existing volume locks the services out of it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { generateVapidKeys } from '@wren/notification-service';
import { generateSigningKeySet } from '@wren/platform';

/** URL- and shell-safe, so a value can go into a connection URL and an env file as is. */
const password = () => randomBytes(24).toString('base64url');

const postServiceClientSecret = randomBytes(32).toString('base64url');
const vapid = generateVapidKeys();

const values: [name: string, value: string][] = [
  ['POSTGRES_PASSWORD', password()],
  ['USERS_DB_PASSWORD', password()],
  ['POSTS_DB_PASSWORD', password()],
  ['NOTIFICATIONS_DB_PASSWORD', password()],
  ['JWT_PRIVATE_KEYS', JSON.stringify(await generateSigningKeySet())],
  // post-service proves itself to user-service with the secret; user-service keeps its hash.
  ['POST_SERVICE_CLIENT_SECRET', postServiceClientSecret],
  ['SERVICE_CLIENTS', `post-service:${createHash('sha256').update(postServiceClientSecret).digest('hex')}`],
  ['VAPID_PUBLIC_KEY', vapid.publicKey],
  ['VAPID_PRIVATE_KEY', vapid.privateKey],
  ['GRAFANA_ADMIN_PASSWORD', password()],
];

// Single quotes: the JWK set is JSON, and both Compose's env-file parser and a shell
// (`set -a; . deploy/.env`) take a single-quoted value literally.
function line([name, value]: [string, string]): string {
  if (/^[\w.:-]*$/.test(value)) return `${name}=${value}`;
  if (value.includes("'")) throw new Error(`${name}: a value with a single quote cannot be written`);
  return `${name}='${value}'`;
}

console.log(
  [
    `# Secrets of deploy/compose.yaml, made by deploy/make-compose-env.ts on ${new Date().toISOString()}.`,
    '# Keep this file as long as the PostgreSQL volume lives (see docs/operations.md).',
    ...values.map(line),
  ].join('\n'),
);
