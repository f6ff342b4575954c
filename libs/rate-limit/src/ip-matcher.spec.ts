import { createIpMatcher } from './ip-matcher';

describe('createIpMatcher', () => {
  it('matches nothing when the list is empty', () => {
    const matches = createIpMatcher([]);
    expect(matches('127.0.0.1')).toBe(false);
    expect(matches('::1')).toBe(false);
    expect(matches(undefined)).toBe(false);
  });

  it('matches IPv4 ranges at their edges and not beyond', () => {
    const matches = createIpMatcher(['10.0.0.0/8', '192.168.1.0/24']);
    expect(matches('10.0.0.0')).toBe(true);
    expect(matches('10.255.255.255')).toBe(true);
    expect(matches('11.0.0.0')).toBe(false);
    expect(matches('9.255.255.255')).toBe(false);
    expect(matches('192.168.1.77')).toBe(true);
    expect(matches('192.168.2.1')).toBe(false);
  });

  it('treats a bare address as a single host, for either family', () => {
    const matches = createIpMatcher(['203.0.113.7', '2001:db8::1']);
    expect(matches('203.0.113.7')).toBe(true);
    expect(matches('203.0.113.8')).toBe(false);
    expect(matches('2001:db8::1')).toBe(true);
    expect(matches('2001:db8:0:0:0:0:0:1')).toBe(true);
    expect(matches('2001:db8::2')).toBe(false);
  });

  it('matches IPv6 ranges', () => {
    const matches = createIpMatcher(['fd00::/8', '2001:db8:abcd::/48']);
    expect(matches('fd12:3456::1')).toBe(true);
    expect(matches('fe80::1')).toBe(false);
    expect(matches('2001:db8:abcd:12::9')).toBe(true);
    expect(matches('2001:db8:abce::9')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 addresses (dual-stack sockets) against IPv4 ranges', () => {
    const matches = createIpMatcher(['10.0.0.0/8']);
    expect(matches('::ffff:10.1.2.3')).toBe(true);
    expect(matches('::ffff:a01:203')).toBe(true);
    expect(matches('::ffff:11.1.2.3')).toBe(false);
  });

  it('honours /0 and /32, and ignores an IPv6 zone', () => {
    expect(createIpMatcher(['0.0.0.0/0'])('198.51.100.1')).toBe(true);
    expect(createIpMatcher(['198.51.100.1/32'])('198.51.100.2')).toBe(false);
    expect(createIpMatcher(['fe80::/10'])('fe80::1%eth0')).toBe(true);
  });

  it('never matches something that is not an address', () => {
    const matches = createIpMatcher(['0.0.0.0/0']);
    expect(matches('')).toBe(false);
    expect(matches('localhost')).toBe(false);
    expect(matches('10.0.0.1/8')).toBe(false);
  });

  it.each(['10.0.0.0/33', 'fd00::/129', 'example.com', '10.0.0.0/8/1', '10.0.0.0/x', ''])(
    'refuses the malformed entry %p',
    (entry) => {
      expect(() => createIpMatcher([entry])).toThrow(/Not an IP address or CIDR range/);
    },
  );
});
