/**
 * Whether an IP address is one the open Internet routes to us as someone else's host — the
 * only kind a server should connect to on a client's say-so (SSRF), or a client should be
 * sent to. Classification is ipaddr.js's (IANA special-purpose registries), not a list kept
 * here: every range it names (private, loopback, link-local, NAT64, 6to4, Teredo,
 * IPv4-mapped and -translated, documentation, multicast…) is refused; only `unicast` passes.
 */
import ipaddr from 'ipaddr.js';

/** The first 96 bits of `::/96`: IPv4-compatible addresses (RFC 4291 §2.5.5.1, deprecated). */
const isInZeroPrefix96 = (address: ipaddr.IPv6): boolean => address.parts.slice(0, 6).every((part) => part === 0);

export function isPublicAddress(text: string): boolean {
  if (!ipaddr.isValid(text)) return false;
  const address = ipaddr.parse(text);
  if (address.range() !== 'unicast') return false;
  // ipaddr.js names `::a.b.c.d` only when written dotted; `::7f00:1` (the same address, as
  // URL parsers print it) comes back `unicast`. No public host has such an address.
  if (address.kind() === 'ipv6' && isInZeroPrefix96(address as ipaddr.IPv6)) return false;
  return true;
}
