import { BlockList, isIP } from 'node:net';

/** True when an address falls in one of the compiled ranges. */
export type IpMatcher = (ip: string | undefined) => boolean;

type Family = 'ipv4' | 'ipv6';

function familyOf(address: string): Family | undefined {
  switch (isIP(address)) {
    case 4:
      return 'ipv4';
    case 6:
      return 'ipv6';
    default:
      return undefined;
  }
}

/** `fe80::1%eth0` → `fe80::1`: the zone says which interface, not which host. */
function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone === -1 ? address : address.slice(0, zone);
}

/**
 * Compiles a list of addresses and CIDR ranges (`10.0.0.0/8`, `::1`,
 * `fd00::/8`) into a predicate. Built on node's `BlockList`, which also
 * matches IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what a dual-stack
 * socket reports) against IPv4 ranges and the other way round. Entries come
 * from the validated configuration; one that is not an address or range throws.
 */
export function createIpMatcher(entries: readonly string[]): IpMatcher {
  if (entries.length === 0) return () => false;
  const ranges = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.trim().split('/');
    const family = familyOf(address);
    const maxPrefix = family === 'ipv4' ? 32 : 128;
    if (
      family === undefined ||
      rest.length > 0 ||
      (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix))
    ) {
      throw new Error(`Not an IP address or CIDR range: ${entry}`);
    }
    if (prefix === undefined) ranges.addAddress(address, family);
    else ranges.addSubnet(address, Number(prefix), family);
  }
  return (ip) => {
    if (ip === undefined) return false;
    const address = withoutZone(ip);
    const family = familyOf(address);
    return family !== undefined && ranges.check(address, family);
  };
}
