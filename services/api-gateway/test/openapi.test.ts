/** The API's documents: the OpenAPI document generated from the route schemas, and /docs. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const ACCOUNT_OPERATIONS = [
  'POST /v1/auth/register',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  'GET /v1/auth/sessions',
  'DELETE /v1/auth/sessions/{id}',
  'POST /v1/auth/password',
  'GET /v1/me',
  'PATCH /v1/me',
  'DELETE /v1/me',
  'GET /v1/users/{username}',
  'PUT /v1/users/{username}/follow',
  'DELETE /v1/users/{username}/follow',
  'GET /v1/users/{username}/followers',
  'GET /v1/users/{username}/following',
];

const POST_OPERATIONS = [
  'POST /v1/posts',
  'GET /v1/posts/{id}',
  'PATCH /v1/posts/{id}',
  'DELETE /v1/posts/{id}',
  'GET /v1/posts/{id}/history',
  'POST /v1/posts/{id}/comments',
  'GET /v1/posts/{id}/comments',
  'PATCH /v1/comments/{id}',
  'DELETE /v1/comments/{id}',
  'PUT /v1/comments/{id}/like',
  'DELETE /v1/comments/{id}/like',
  'PUT /v1/posts/{id}/like',
  'DELETE /v1/posts/{id}/like',
  'GET /v1/posts/{id}/likes',
  'POST /v1/posts/{id}/share',
  'DELETE /v1/posts/{id}/share',
  'GET /v1/timelines/home',
  'GET /v1/users/{username}/posts',
];

const NOTIFICATION_OPERATIONS = [
  'GET /v1/notifications',
  'GET /v1/notifications/groups',
  'GET /v1/notifications/unread-count',
  'POST /v1/notifications/read',
  'DELETE /v1/notifications/{id}',
  'GET /v1/notifications/preferences',
  'PUT /v1/notifications/preferences',
  'GET /v1/notifications/stream',
];

const PUSH_OPERATIONS = [
  'GET /v1/push/web/vapid-key',
  'POST /v1/push/web/subscriptions',
  'DELETE /v1/push/web/subscriptions',
  'POST /v1/push/expo/tokens',
  'DELETE /v1/push/expo/tokens',
];

interface SchemaObject {
  properties?: Record<string, unknown>;
}
interface Operation {
  tags?: string[];
  security?: unknown;
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
}
interface OpenApiDocument {
  openapi: string;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, SchemaObject> };
  paths: Record<string, Record<string, Operation>>;
}

describe('documents', () => {
  test('/openapi.json is OpenAPI 3.1 with every /v1 operation, its schemas and its problems', async () => {
    const response = await h.fetch('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApiDocument;
    const operation = (path: string, method: string): Operation => {
      const found = doc.paths[path]?.[method];
      if (!found) throw new Error(`${method} ${path} is not in the document`);
      return found;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.Problem?.properties).toEqual(
      expect.objectContaining({ type: expect.anything(), requestId: expect.anything(), errors: expect.anything() }),
    );
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(operations).toEqual(
      [...ACCOUNT_OPERATIONS, ...POST_OPERATIONS, ...NOTIFICATION_OPERATIONS, ...PUSH_OPERATIONS].sort(),
    );
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const operation of Object.values(methods)) {
        expect(operation.tags?.length).toBeGreaterThan(0);
        for (const status of ['400', '429', '500']) {
          expect(operation.responses[status]?.content?.['application/problem+json']?.schema).toEqual({
            $ref: '#/components/schemas/Problem',
          });
        }
      }
    }
    const register = operation('/v1/auth/register', 'post');
    expect(register.requestBody?.content['application/json']?.schema).toMatchObject({
      additionalProperties: false,
      properties: { username: { maxLength: 30 }, email: { maxLength: 254 }, password: { maxLength: 256 } },
    });
    expect(register.responses['201']?.content?.['application/json']?.schema.properties?.tokens).toBeDefined();
    expect(register.responses['409']).toBeDefined();
    expect(register.security).toBeUndefined();
    expect(operation('/v1/me', 'get').security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/v1/users/{username}', 'get').security).toEqual([{ bearerAuth: [] }, {}]);
    const stream = operation('/v1/notifications/stream', 'get');
    expect(Object.keys(stream.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(stream.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['header:last-event-id']);
    expect(stream.security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/v1/push/web/vapid-key', 'get').security).toBeUndefined();
    expect(
      operation('/v1/push/web/subscriptions', 'post').requestBody?.content['application/json']?.schema,
    ).toMatchObject({
      additionalProperties: false,
      properties: { endpoint: { maxLength: 2048 } },
    });
    const followers = operation('/v1/users/{username}/followers', 'get');
    expect(followers.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:username',
      'query:cursor',
      'query:limit',
    ]);
  });

  test('the post routes: Idempotency-Key, 422, UUID ids, closed bodies, tags and security', async () => {
    const doc = (await (await h.fetch('/openapi.json')).json()) as OpenApiDocument;
    const operation = (path: string, method: string): Operation => {
      const found = doc.paths[path]?.[method];
      if (!found) throw new Error(`${method} ${path} is not in the document`);
      return found;
    };
    for (const [path, method] of [
      ['/v1/posts', 'post'],
      ['/v1/posts/{id}/comments', 'post'],
      ['/v1/posts/{id}/share', 'post'],
    ] as const) {
      const create = operation(path, method);
      const header = create.parameters?.find((p) => p.in === 'header' && p.name === 'idempotency-key');
      expect(header, `${method} ${path}`).toMatchObject({ required: false, schema: { minLength: 1, maxLength: 128 } });
      for (const status of ['201', '401', '409', '422']) expect(create.responses[status], status).toBeDefined();
    }
    expect(doc.components.schemas.Problem).toBeDefined();
    const create = operation('/v1/posts', 'post');
    expect(create.requestBody?.content['application/json']?.schema).toMatchObject({
      additionalProperties: false,
      properties: { text: { maxLength: 2000 }, visibility: { enum: ['public', 'followers'], default: 'public' } },
    });
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/v1/posts/{id}', 'get').security).toEqual([{ bearerAuth: [] }, {}]);
    expect(operation('/v1/timelines/home', 'get').security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/v1/posts/{id}', 'patch').parameters).toContainEqual(
      expect.objectContaining({
        in: 'path',
        name: 'id',
        schema: expect.objectContaining({ pattern: expect.any(String) }),
      }),
    );
    expect(
      operation('/v1/posts/{id}/comments', 'get')
        .parameters?.map((p) => `${p.in}:${p.name}`)
        .sort(),
    ).toEqual(['path:id', 'query:cursor', 'query:limit', 'query:parentId']);
    const tags = new Set(
      POST_OPERATIONS.flatMap((entry) => {
        const [method = '', path = ''] = entry.split(' ');
        return operation(path, method.toLowerCase()).tags ?? [];
      }),
    );
    expect([...tags].sort()).toEqual(['comments', 'likes', 'posts', 'shares', 'timelines']);
    const page = operation('/v1/timelines/home', 'get').responses['200']?.content?.['application/json']?.schema;
    expect(JSON.stringify(page)).toContain('"share"');
  });

  test('the notification routes: tags, tokens, filters, the read body and the preference matrix', async () => {
    const doc = (await (await h.fetch('/openapi.json')).json()) as OpenApiDocument;
    const operation = (path: string, method: string): Operation => {
      const found = doc.paths[path]?.[method];
      if (!found) throw new Error(`${method} ${path} is not in the document`);
      return found;
    };
    for (const entry of NOTIFICATION_OPERATIONS) {
      const [method = '', path = ''] = entry.split(' ');
      const found = operation(path, method.toLowerCase());
      expect(found.tags, entry).toEqual(['notifications']);
      expect(found.security, entry).toEqual([{ bearerAuth: [] }]);
      expect(found.responses['401'], entry).toBeDefined();
    }
    const list = operation('/v1/notifications', 'get');
    expect(list.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:cursor',
      'query:limit',
      'query:types',
      'query:unread',
    ]);
    const types = list.parameters?.find((p) => p.name === 'types')?.schema;
    expect(types).toMatchObject({ type: 'array', maxItems: 6 });
    expect(JSON.stringify(types)).toContain('"mention"');
    expect(operation('/v1/notifications/read', 'post').requestBody?.content['application/json']?.schema).toMatchObject({
      additionalProperties: false,
      properties: { ids: { maxItems: 100 }, upTo: { pattern: expect.any(String) } },
    });
    const matrix = operation('/v1/notifications/preferences', 'get').responses['200']?.content?.['application/json']
      ?.schema as { properties: { preferences: { required?: string[] } } };
    expect(matrix.properties.preferences.required?.sort()).toEqual([
      'comment',
      'follow',
      'like',
      'mention',
      'reply',
      'share',
    ]);
    expect(operation('/v1/notifications/{id}', 'delete').responses['204']).toBeDefined();
  });

  test('/docs is an HTML page whose every asset loads under our CSP', async () => {
    const page = await h.fetch('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const html = await page.text();
    // CSP forbids inline scripts; the page must not need any.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      const url = new URL(asset, `${h.url}/docs`);
      expect(url.origin).toBe(h.url);
      const response = await fetch(url);
      expect(response.status, asset).toBe(200);
      await response.arrayBuffer();
    }
    // The initializer points the UI at the document, which must load too.
    const initializer = await (await fetch(`${h.url}/docs/static/swagger-initializer.js`)).text();
    expect(initializer).toContain('json');
    expect((await fetch(`${h.url}/docs/json`)).status).toBe(200);
  });
});
