/**
 * SSRF guard for Web Push endpoints: the service POSTs to whatever URL a client registers,
 * so an endpoint must not reach into our own network. Every address the host resolves to
 * is checked, since one private address among public ones is enough to be steered there.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// One list per family: a BlockList matches IPv4 addresses against IPv6 rules (as mapped
// addresses), so the ::ffff:0:0/96 rule would otherwise block every IPv4 address.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blockedV4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones included
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? blockedV4.check(address, 'ipv4') : blockedV6.check(address, 'ipv6');
}

/** Whether the URL's host is an address, or resolves to any address, we must not reach. */
export async function hostIsPrivate(url: URL): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return isPrivateAddress(host);
  const addresses = await lookup(host, { all: true, verbatim: true });
  return addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address));
}

/**
 * The problem with an endpoint, or undefined when it may be used: https to a public host, or
 * (when private endpoints are allowed, for development and tests) http to a private one.
 */
export async function endpointProblem(endpoint: string, allowPrivate: boolean): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username || url.password) return 'must not hold credentials';
  let isPrivate: boolean;
  try {
    isPrivate = await hostIsPrivate(url);
  } catch {
    return 'host does not resolve';
  }
  if (isPrivate && !allowPrivate) return 'must not point at a private, loopback or link-local address';
  if (url.protocol === 'http:' && !isPrivate) return 'must be an https URL';
  return undefined;
}
