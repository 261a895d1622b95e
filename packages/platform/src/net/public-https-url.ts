/**
 * The one rule for URLs a client hands us that someone will later fetch: an https URL, with
 * no credentials, whose host is a public address. Two strengths:
 *
 * - `httpsUrlProblem` checks what the text says, synchronously: scheme, credentials, and the
 *   host when it is an address literal or `localhost` (RFC 6761: always loopback). For URLs
 *   the server never fetches itself (an avatar the client's browser loads).
 * - `publicHttpsUrlProblem` also resolves a host name and refuses it when any of its
 *   addresses is not public, since one private address among public ones is enough to be
 *   steered there. For URLs the server fetches (Web Push endpoints); check again just before
 *   each fetch, as DNS may point the name elsewhere since.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './public-address.js';

export interface UrlGuardOptions {
  /**
   * Development and tests: allow a private host, over http too (a local push service).
   * An http URL to a public host is still refused.
   */
  allowPrivate?: boolean;
}

const NOT_HTTPS = 'must be an https URL';
const NOT_PUBLIC = 'must not point at a private, loopback or link-local address';

// WHATWG URL keeps IPv6 literals bracketed and already normalises IPv4 ones (0x7f.1, 2130706433).
const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

const isLocalhostName = (host: string): boolean => /(^|\.)localhost\.?$/i.test(host);

type Parsed = { url: URL; problem?: undefined } | { url?: undefined; problem: string };

function parse(text: string): Parsed {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'must be a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: NOT_HTTPS };
  if (url.username || url.password) return { problem: 'must not hold credentials' };
  return { url };
}

/** Whether the host is private as far as the text alone tells; undefined for a host name. */
function literalHostIsPrivate(url: URL): boolean | undefined {
  const host = bareHost(url);
  if (isIP(host) !== 0) return !isPublicAddress(host);
  if (isLocalhostName(host)) return true;
  return undefined;
}

function schemeProblem(url: URL, isPrivate: boolean, options: UrlGuardOptions): string | undefined {
  if (isPrivate && !options.allowPrivate) return NOT_PUBLIC;
  if (url.protocol === 'http:' && !isPrivate) return NOT_HTTPS;
  return undefined;
}

/** The problem with `text` as a public https URL, from the text alone; undefined when none. */
export function httpsUrlProblem(text: string, options: UrlGuardOptions = {}): string | undefined {
  const parsed = parse(text);
  if (parsed.problem !== undefined) return parsed.problem;
  // A host name counts as public here: its addresses are not looked up.
  return schemeProblem(parsed.url, literalHostIsPrivate(parsed.url) ?? false, options);
}

/** Whether the URL's host is, or resolves to any, address that is not public. */
export async function hostIsPrivate(url: URL): Promise<boolean> {
  const literal = literalHostIsPrivate(url);
  if (literal !== undefined) return literal;
  const addresses = await lookup(bareHost(url), { all: true, verbatim: true });
  return addresses.length === 0 || addresses.some((entry) => !isPublicAddress(entry.address));
}

/** The problem with `text` as a public https URL, its host name resolved; undefined when none. */
export async function publicHttpsUrlProblem(text: string, options: UrlGuardOptions = {}): Promise<string | undefined> {
  const parsed = parse(text);
  if (parsed.problem !== undefined) return parsed.problem;
  let isPrivate: boolean;
  try {
    isPrivate = await hostIsPrivate(parsed.url);
  } catch {
    return 'host does not resolve';
  }
  return schemeProblem(parsed.url, isPrivate, options);
}
