/** Small pure pieces: rate-limit keys and next-page links. */
import type { FastifyRequest } from 'fastify';
import { describe, expect, test } from 'vitest';
import { nextPageUrl } from '../src/paging.js';
import { addressKey } from '../src/rate-limit.js';
import { requestIdFor } from '../src/request-id.js';

describe('rate-limit address keys', () => {
  test.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:0db8:0001:0002::/64'],
    ['2001:db8:1:2:ffff::1', '2001:0db8:0001:0002::/64'],
    ['2001:DB8::1', '2001:0db8:0000:0000::/64'],
    ['::1', '0000:0000:0000:0000::/64'],
    ['fe80::1%eth0', 'fe80:0000:0000:0000::/64'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('next-page links', () => {
  const request = {
    protocol: 'http',
    host: '127.0.0.1:8080',
    url: '/v1/users/ada/followers?limit=2',
  } as FastifyRequest;

  test('from the request when PUBLIC_URL is not set', () => {
    expect(nextPageUrl(request, undefined, { cursor: 'abc_-', limit: 2 })).toBe(
      'http://127.0.0.1:8080/v1/users/ada/followers?cursor=abc_-&limit=2',
    );
  });

  test('from PUBLIC_URL, path prefix included', () => {
    expect(nextPageUrl(request, 'https://api.example.com/wren/', { cursor: 'c', limit: 20 })).toBe(
      'https://api.example.com/wren/v1/users/ada/followers?cursor=c&limit=20',
    );
  });

  test('keeps the other query parameters (filters), replacing cursor and limit', () => {
    const filtered = { ...request, url: '/v1/posts/p/comments?cursor=old&parentId=c%201&limit=5' } as FastifyRequest;
    expect(nextPageUrl(filtered, undefined, { cursor: 'new', limit: 5 })).toBe(
      'http://127.0.0.1:8080/v1/posts/p/comments?cursor=new&limit=5&parentId=c+1',
    );
  });
});

describe('request ids', () => {
  const raw = (value?: string) => ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as never;

  test('a well-formed incoming id is kept', () => {
    expect(requestIdFor(raw('edge-7f3a:42.b_c'))).toBe('edge-7f3a:42.b_c');
  });

  test.each([undefined, '', 'has space', 'a'.repeat(129), 'new\nline', '<script>'])('%j is replaced', (value) => {
    expect(requestIdFor(raw(value))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
