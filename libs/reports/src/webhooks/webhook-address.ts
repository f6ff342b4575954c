import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Where a webhook may point. Both are off in production; tests and on-premise installs may turn them on. */
export interface WebhookTargetPolicy {
  /** Allow loopback, private, link-local (cloud metadata) and other non-public addresses. */
  allowPrivateNetworks: boolean;
  /** Allow plain http: URLs (https only otherwise). */
  allowHttp: boolean;
}

/** A webhook URL whose host was resolved once and checked: connect to `address`, nothing else. */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type WebhookTargetProblem =
  | 'invalid-url'
  | 'scheme'
  | 'credentials'
  | 'forbidden-host'
  | 'forbidden-address'
  | 'unresolvable';

/** Why a webhook URL may not be called; the message names the host and the range, no more. */
export class WebhookTargetError extends Error {
  override readonly name = 'WebhookTargetError';

  constructor(
    readonly reason: WebhookTargetProblem,
    message: string,
  ) {
    super(message);
  }
}

/** `dns.promises.lookup` with every address, or a stand-in with the same shape. */
export type WebhookLookup = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
interface Range {
  cidr: Cidr;
  label: string;
}
const ranges = (list: Array<[string, string]>): Range[] =>
  list.map(([cidr, name]) => ({ cidr: ipaddr.parseCIDR(cidr), label: `${name} (${cidr})` }));

const FORBIDDEN_V4 = ranges([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local, cloud metadata'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  // Before 240.0.0.0/4, which holds it: the first match names the range.
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const FORBIDDEN_V6 = ranges([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

/** IPv6 ranges that carry an IPv4 address, and where in the address it sits. */
const EMBEDDING_V6: Array<{ range: Range; embedded: (parts: number[]) => number[][] }> = [
  { range: ranges([['::ffff:0:0/96', 'IPv4-mapped']])[0], embedded: (p) => [[p[6], p[7]]] },
  { range: ranges([['::ffff:0:0:0/96', 'IPv4-translated']])[0], embedded: (p) => [[p[6], p[7]]] },
  { range: ranges([['64:ff9b::/96', 'NAT64']])[0], embedded: (p) => [[p[6], p[7]]] },
  { range: ranges([['2002::/16', '6to4']])[0], embedded: (p) => [[p[1], p[2]]] },
  // Teredo: the server's address as is, the client's with every bit inverted.
  {
    range: ranges([['2001::/32', 'Teredo']])[0],
    embedded: (p) => [
      [p[2], p[3]],
      [p[6] ^ 0xffff, p[7] ^ 0xffff],
    ],
  },
];
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Host names that reach a cloud's metadata service or this machine whatever DNS says
 * (RFC 6761 reserves `localhost` and its subdomains for loopback).
 */
const FORBIDDEN_HOSTS = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const v4FromParts = ([high, low]: number[]): ipaddr.IPv4 =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The forbidden range an address falls in, or null for a public unicast address. */
function forbiddenRange(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address.kind() === 'ipv4') {
    const hit = FORBIDDEN_V4.find(({ cidr }) => address.match(cidr));
    if (hit !== undefined) return hit.label;
  } else {
    const v6 = address as ipaddr.IPv6;
    const hit = FORBIDDEN_V6.find(({ cidr }) => v6.match(cidr));
    if (hit !== undefined) return hit.label;
    const embedding = EMBEDDING_V6.find(({ range }) => v6.match(range.cidr));
    if (embedding !== undefined) {
      for (const parts of embedding.embedded(v6.parts)) {
        const inner = forbiddenRange(v4FromParts(parts));
        if (inner !== null) return `${inner} inside ${embedding.range.label}`;
      }
      return null;
    }
    if (!v6.match(GLOBAL_UNICAST_V6)) return 'outside global unicast (2000::/3)';
  }
  // Ranges ipaddr.js knows and the tables above do not (AS112, AMT, ORCHID…): none is a
  // webhook receiver, and refusing keeps a future special range out by default.
  const special = address.range();
  return special === 'unicast' ? null : `special-purpose (${special})`;
}

/** The forbidden range of an address string; an address that cannot be parsed is refused. */
function forbiddenRangeOf(address: string): string | null {
  try {
    return forbiddenRange(ipaddr.parse(address));
  } catch {
    return 'an address that could not be classified';
  }
}

/** The host without IPv6 brackets or a trailing root dot, as DNS and isIP expect it. */
function bareHost(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.replace(/\.+$/, '');
}

interface InspectedUrl {
  url: URL;
  /** Set when the URL names an IP address (which WHATWG URL has already normalised). */
  literal: { address: string; family: 4 | 6 } | null;
}

/** Every check that needs no DNS; throws WebhookTargetError. */
function inspectWebhookUrl(raw: string, policy: WebhookTargetPolicy): InspectedUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('invalid-url', 'webhook URL is not a valid absolute URL');
  }
  // The URL parser refuses http(s) URLs without a host, so a parsed one always has one.
  const allowed = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) {
    const schemes = policy.allowHttp ? 'https or http' : 'https';
    throw new WebhookTargetError('scheme', `webhook URL must use ${schemes}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new WebhookTargetError(
      'credentials',
      'webhook URL must not carry credentials (user:password@); the signature authenticates us',
    );
  }
  const host = bareHost(url);
  if (!policy.allowPrivateNetworks && (FORBIDDEN_HOSTS.has(host) || host.endsWith('.localhost'))) {
    throw new WebhookTargetError(
      'forbidden-host',
      `webhook host "${url.hostname}" is a loopback or cloud metadata name`,
    );
  }
  const family = isIP(host);
  if (family === 0) return { url, literal: null };
  if (!policy.allowPrivateNetworks) {
    const range = forbiddenRangeOf(host);
    if (range !== null) {
      throw new WebhookTargetError(
        'forbidden-address',
        `webhook host "${url.hostname}" is in a forbidden range: ${range}`,
      );
    }
  }
  return { url, literal: { address: host, family: family === 6 ? 6 : 4 } };
}

/**
 * The problem with a webhook URL that can be seen without DNS (scheme, credentials, a
 * forbidden name or literal address), as text for a 400, or null. The host is resolved and
 * checked again at every delivery by {@link resolveWebhookTarget}.
 */
export function checkWebhookUrl(url: string, policy: WebhookTargetPolicy): string | null {
  try {
    inspectWebhookUrl(url, policy);
    return null;
  } catch (error) {
    if (error instanceof WebhookTargetError) return error.message;
    throw error;
  }
}

/**
 * Parses and checks a webhook URL and resolves its host once, for one delivery attempt.
 * The caller connects to the returned address only, so a DNS answer that changes between
 * this check and the connection (DNS rebinding) cannot redirect the request.
 *
 * If any address the host resolves to is forbidden, the whole target is refused rather than
 * the allowed addresses kept: a public receiver has no reason to publish a private address,
 * a mixed answer is the shape of a rebinding attempt, and a refusal says so plainly where
 * filtering would fail later, elsewhere, or only sometimes.
 */
export async function resolveWebhookTarget(
  url: string,
  policy: WebhookTargetPolicy,
  lookup: WebhookLookup = dns.lookup,
): Promise<WebhookTarget> {
  const inspected = inspectWebhookUrl(url, policy);
  if (inspected.literal !== null) return { url: inspected.url, ...inspected.literal };
  const hostname = inspected.url.hostname;
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(hostname, { all: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WebhookTargetError(
      'unresolvable',
      `webhook host "${hostname}" could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  const usable = addresses.filter(({ address }) => isIP(address) !== 0);
  if (usable.length === 0 || usable.length !== addresses.length) {
    throw new WebhookTargetError(
      'unresolvable',
      `webhook host "${hostname}" has no usable address`,
    );
  }
  if (!policy.allowPrivateNetworks) {
    for (const { address } of usable) {
      const range = forbiddenRangeOf(address);
      if (range !== null) {
        throw new WebhookTargetError(
          'forbidden-address',
          `webhook host "${hostname}" resolves to a forbidden range: ${range}`,
        );
      }
    }
  }
  // The resolver's order (RFC 6724 preference) picks the address, as a browser would.
  const [first] = usable;
  return { url: inspected.url, address: first.address, family: isIP(first.address) === 6 ? 6 : 4 };
}
