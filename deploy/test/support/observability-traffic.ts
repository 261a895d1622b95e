/**
 * A little of what an app does, through the gateway, so that every process has RED series
 * and events flow: two users register, one follows the other, who posts; the follower likes
 * the post and reads timelines and the author reads notifications; one unknown route.
 */
import { randomBytes } from 'node:crypto';

interface Account {
  username: string;
  token: string;
}

async function call(
  gatewayUrl: string,
  method: string,
  path: string,
  expectedStatus: number,
  options: { token?: string; json?: unknown } = {},
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  const text = await response.text();
  if (response.status !== expectedStatus) {
    throw new Error(`${method} ${path}: expected ${expectedStatus}, got ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : undefined;
}

async function register(gatewayUrl: string, prefix: string): Promise<Account> {
  const username = `${prefix}_${randomBytes(5).toString('hex')}`;
  const body = (await call(gatewayUrl, 'POST', '/v1/auth/register', 201, {
    json: { username, email: `${username}@example.com`, password: `pw-${randomBytes(8).toString('hex')}` },
  })) as { tokens: { accessToken: string } };
  return { username, token: body.tokens.accessToken };
}

export async function sendTraffic(gatewayUrl: string): Promise<void> {
  const [ana, ben] = await Promise.all([register(gatewayUrl, 'obs_ana'), register(gatewayUrl, 'obs_ben')]);
  await call(gatewayUrl, 'PUT', `/v1/users/${ben.username}/follow`, 200, { token: ana.token });
  const post = (await call(gatewayUrl, 'POST', '/v1/posts', 201, {
    token: ben.token,
    json: { text: 'hello from the metrics test #wren' },
  })) as { id: string };
  await call(gatewayUrl, 'PUT', `/v1/posts/${post.id}/like`, 200, { token: ana.token });
  await call(gatewayUrl, 'GET', '/v1/timelines/home', 200, { token: ana.token });
  await call(gatewayUrl, 'GET', `/v1/users/${ben.username}/posts`, 200);
  await call(gatewayUrl, 'GET', '/v1/notifications', 200, { token: ben.token });
  await call(gatewayUrl, 'GET', '/v1/no-such-route', 404);
}
