/** The public-address rule and the https URL guard built on it (push endpoints, avatars). */
import { hostname } from 'node:os';
import { describe, expect, test } from 'vitest';
import { httpsUrlProblem, isPublicAddress, publicHttpsUrlProblem } from '../src/index.js';

describe('public addresses', () => {
  test.each([
    // IPv4 special-purpose ranges
    '0.0.0.0',
    '10.0.0.1',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.31.255.255',
    '192.0.0.1',
    '192.0.2.1',
    '192.168.0.1',
    '198.18.0.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6 special-purpose ranges
    '::',
    '::1',
    'fe80::1',
    'fec0::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '100::1',
    '2001:db8::1',
    '3fff::1',
    // Every IPv6 way of writing 127.0.0.1 (or any IPv4 address)
    '::ffff:127.0.0.1', // IPv4-mapped
    '::ffff:7f00:1',
    '::ffff:0:7f00:1', // IPv4-translated, ::ffff:0:0:0/96 (RFC 6145)
    '::ffff:0:127.0.0.1',
    '::127.0.0.1', // IPv4-compatible, ::/96 (deprecated)
    '::7f00:1',
    '::a00:1',
    '64:ff9b::7f00:1', // NAT64 well-known prefix
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::a00:1', // NAT64 local-use prefix
    '2002:7f00:1::1', // 6to4
    '2002:a00:1::',
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo (client 127.0.0.1)
    // Not addresses at all
    'localhost',
    '',
    '127.1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '2001:4860::8888'])(
    '%s is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('https URLs, from the text alone', () => {
  test.each([
    ['http://93.184.216.34/a.png', 'https'],
    ['ftp://93.184.216.34/a.png', 'https'],
    ['javascript:alert(1)', 'https'],
    ['not a url', 'must be a URL'],
    ['https://user:pw@example.com/a.png', 'credentials'],
    ['https://localhost/a.png', 'private'],
    ['https://img.localhost./a.png', 'private'],
    ['https://127.0.0.1/a.png', 'private'],
    ['https://0x7f.1/a.png', 'private'], // URL parsing normalises it to 127.0.0.1
    ['https://2130706433/a.png', 'private'],
    ['https://[::1]/a.png', 'private'],
    ['https://[::ffff:0:7f00:1]/a.png', 'private'],
    ['https://[::ffff:127.0.0.1]/a.png', 'private'],
    ['https://[::127.0.0.1]/a.png', 'private'],
    ['https://[64:ff9b::a9fe:a9fe]/latest', 'private'],
    ['https://[2002:c0a8:101::1]/a.png', 'private'],
  ])('%s is refused (%s)', (url, words) => {
    expect(httpsUrlProblem(url)).toContain(words);
  });

  test.each(['https://cdn.example.com/a.png', 'https://93.184.216.34/a.png', 'https://[2606:4700:4700::1111]/a.png'])(
    '%s is accepted',
    (url) => {
      expect(httpsUrlProblem(url)).toBeUndefined();
    },
  );

  test('allowPrivate lets a private host through, over http too, but never http to a public one', () => {
    expect(httpsUrlProblem('http://127.0.0.1:9000/push', { allowPrivate: true })).toBeUndefined();
    expect(httpsUrlProblem('http://93.184.216.34/push', { allowPrivate: true })).toContain('https');
  });
});

describe('https URLs, host names resolved', () => {
  test('a name that resolves to a private address is refused', async () => {
    // This machine's own name resolves to one of its addresses (loopback, or a private one
    // in a container), and the text alone does not tell.
    const url = `https://${hostname()}/push`;
    expect(httpsUrlProblem(url)).toBeUndefined();
    expect(await publicHttpsUrlProblem(url)).toContain('private');
  });

  test('a name that does not resolve is refused', async () => {
    expect(await publicHttpsUrlProblem('https://no-such-host.invalid/push')).toBe('host does not resolve');
  });

  test('address literals are judged without DNS', async () => {
    expect(await publicHttpsUrlProblem('https://[::ffff:0:7f00:1]/push')).toContain('private');
    expect(await publicHttpsUrlProblem('https://93.184.216.34/push')).toBeUndefined();
  });
});
