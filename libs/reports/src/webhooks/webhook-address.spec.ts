import type { LookupAddress } from 'node:dns';
import {
  checkWebhookUrl,
  resolveWebhookTarget,
  WebhookTargetError,
  type WebhookLookup,
  type WebhookTargetPolicy,
} from './webhook-address';

const strict: WebhookTargetPolicy = { allowPrivateNetworks: false, allowHttp: false };
const open: WebhookTargetPolicy = { allowPrivateNetworks: true, allowHttp: true };

/** A resolver that answers from a table and counts its calls. */
function fakeLookup(answers: Record<string, string[]>): WebhookLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const addresses = answers[hostname];
    if (addresses === undefined) {
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    }
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return Object.assign(lookup, { calls });
}

describe('checkWebhookUrl', () => {
  it.each([
    'https://hooks.example.com/sightline',
    'https://hooks.example.com:8443/a?b=c',
    'https://8.8.8.8/',
    'https://[2606:4700:4700::1111]/',
    'https://172.32.0.1/', // just past 172.16.0.0/12
    'https://100.128.0.1/', // just past 100.64.0.0/10
    'https://[::ffff:8.8.8.8]/',
    'https://[2002:808:808::1]/', // 6to4 of 8.8.8.8
    'https://[64:ff9b::808:808]/', // NAT64 of 8.8.8.8
    'https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/', // Teredo, both ends public
  ])('accepts %s', (url) => {
    expect(checkWebhookUrl(url, strict)).toBeNull();
  });

  it.each([
    ['not a url', /not a valid absolute URL/],
    ['/relative/path', /not a valid absolute URL/],
    ['ftp://hooks.example.com/', /must use https$/],
    ['http://hooks.example.com/', /must use https$/],
    ['javascript:alert(1)', /must use https$/],
    ['https://user:secret@hooks.example.com/', /must not carry credentials/],
    ['https://:secret@hooks.example.com/', /must not carry credentials/],
  ])('refuses %s', (url, message) => {
    expect(checkWebhookUrl(url, strict)).toMatch(message);
  });

  it('names http as allowed when the policy allows it, and still refuses other schemes', () => {
    const withHttp = { ...strict, allowHttp: true };
    expect(checkWebhookUrl('http://hooks.example.com/', withHttp)).toBeNull();
    expect(checkWebhookUrl('ws://hooks.example.com/', withHttp)).toMatch(/https or http$/);
  });

  it.each([
    'https://localhost/',
    'https://api.localhost./',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://METADATA.google.internal./',
    'https://metadata.goog/',
    'https://metadata/',
    'https://instance-data.ec2.internal/',
  ])('refuses the host name of %s unless private networks are allowed', (url) => {
    expect(checkWebhookUrl(url, strict)).toMatch(/is a loopback or cloud metadata name/);
    expect(checkWebhookUrl(url, open)).toBeNull();
  });

  it.each([
    ['http://127.0.0.1/', 'loopback (127.0.0.0/8)'],
    ['http://2130706433/', 'loopback (127.0.0.0/8)'],
    ['http://0x7f.1/', 'loopback (127.0.0.0/8)'],
    ['http://017700000001/', 'loopback (127.0.0.0/8)'],
    ['http://127.1/', 'loopback (127.0.0.0/8)'],
    ['http://%31%32%37.0.0.1/', 'loopback (127.0.0.0/8)'],
    ['http://0/', 'unspecified (0.0.0.0/8)'],
    ['http://10.1.2.3/', 'private (10.0.0.0/8)'],
    ['http://172.31.255.255/', 'private (172.16.0.0/12)'],
    ['http://192.168.1.1/', 'private (192.168.0.0/16)'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local, cloud metadata (169.254.0.0/16)'],
    ['http://2852039166/', 'link-local, cloud metadata (169.254.0.0/16)'],
    ['http://100.64.0.1/', 'carrier-grade NAT (100.64.0.0/10)'],
    ['http://224.0.0.1/', 'multicast (224.0.0.0/4)'],
    ['http://255.255.255.255/', 'broadcast (255.255.255.255/32)'],
    ['http://240.0.0.1/', 'reserved (240.0.0.0/4)'],
    ['http://192.0.0.8/', 'IETF protocol assignments (192.0.0.0/24)'],
    ['http://198.18.0.1/', 'benchmarking (198.18.0.0/15)'],
    ['http://203.0.113.9/', 'documentation (203.0.113.0/24)'],
    ['http://192.175.48.1/', 'special-purpose (as112)'],
    ['http://[::1]/', 'loopback (::1/128)'],
    ['http://[::]/', 'unspecified (::/128)'],
    ['http://[fe80::1]/', 'link-local (fe80::/10)'],
    ['http://[fd12:3456::1]/', 'unique-local (fc00::/7)'],
    ['http://[ff02::1]/', 'multicast (ff00::/8)'],
    ['http://[fec0::1]/', 'site-local (fec0::/10)'],
    ['http://[2001:db8::1]/', 'documentation (2001:db8::/32)'],
    ['http://[::7f00:1]/', 'outside global unicast (2000::/3)'],
    ['http://[2001:2::1]/', 'special-purpose (benchmarking)'],
    ['http://[::ffff:127.0.0.1]/', 'loopback (127.0.0.0/8) inside IPv4-mapped (::ffff:0:0/96)'],
    [
      'http://[::ffff:a9fe:a9fe]/',
      'link-local, cloud metadata (169.254.0.0/16) inside IPv4-mapped (::ffff:0:0/96)',
    ],
    ['http://[::ffff:0:a00:1]/', 'private (10.0.0.0/8) inside IPv4-translated (::ffff:0:0:0/96)'],
    [
      'http://[64:ff9b::a9fe:a9fe]/',
      'link-local, cloud metadata (169.254.0.0/16) inside NAT64 (64:ff9b::/96)',
    ],
    ['http://[64:ff9b:1::1]/', 'local-use NAT64 (64:ff9b:1::/48)'],
    ['http://[2002:7f00:1::]/', 'loopback (127.0.0.0/8) inside 6to4 (2002::/16)'],
    // Teredo: client 127.0.0.1 stored inverted (80ff:fffe), then a private Teredo server.
    [
      'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/',
      'loopback (127.0.0.0/8) inside Teredo (2001::/32)',
    ],
    [
      'http://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/',
      'private (10.0.0.0/8) inside Teredo (2001::/32)',
    ],
  ])('refuses the literal address of %s as %s', (url, range) => {
    const policy = { ...strict, allowHttp: true };
    const host = new URL(url).hostname;
    expect(checkWebhookUrl(url, policy)).toBe(
      `webhook host "${host}" is in a forbidden range: ${range}`,
    );
    expect(checkWebhookUrl(url, { ...policy, allowPrivateNetworks: true })).toBeNull();
  });
});

describe('resolveWebhookTarget', () => {
  it('resolves the host once and returns the address to connect to', async () => {
    const lookup = fakeLookup({ 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'] });
    const target = await resolveWebhookTarget('https://hooks.example.com/in', strict, lookup);
    expect(target).toEqual({
      url: new URL('https://hooks.example.com/in'),
      address: '93.184.216.34',
      family: 4,
    });
    expect(lookup.calls).toEqual(['hooks.example.com']);
  });

  it('keeps the resolver’s order, IPv6 first when it comes first', async () => {
    const lookup = fakeLookup({ 'hooks.example.com': ['2606:2800:220:1::1', '93.184.216.34'] });
    const target = await resolveWebhookTarget('https://hooks.example.com/', strict, lookup);
    expect(target).toMatchObject({ address: '2606:2800:220:1::1', family: 6 });
  });

  it.each([
    ['127.0.0.1', 'loopback (127.0.0.0/8)'],
    ['169.254.169.254', 'link-local, cloud metadata (169.254.0.0/16)'],
    ['::ffff:7f00:1', 'loopback (127.0.0.0/8) inside IPv4-mapped (::ffff:0:0/96)'],
  ])(
    'refuses a host resolving to %s, naming the range but not the address',
    async (address, range) => {
      const lookup = fakeLookup({ 'inner.example.com': [address] });
      const refusal = resolveWebhookTarget('https://inner.example.com/', strict, lookup);
      await expect(refusal).rejects.toThrow(WebhookTargetError);
      await expect(refusal).rejects.toMatchObject({
        reason: 'forbidden-address',
        message: `webhook host "inner.example.com" resolves to a forbidden range: ${range}`,
      });
      const allowed = { ...strict, allowPrivateNetworks: true };
      await expect(
        resolveWebhookTarget('https://inner.example.com/', allowed, lookup),
      ).resolves.toMatchObject({
        address,
      });
    },
  );

  it('refuses the whole host when any one of its addresses is forbidden', async () => {
    const lookup = fakeLookup({ 'mixed.example.com': ['93.184.216.34', '10.0.0.7'] });
    await expect(
      resolveWebhookTarget('https://mixed.example.com/', strict, lookup),
    ).rejects.toMatchObject({
      reason: 'forbidden-address',
      message: expect.stringContaining('private (10.0.0.0/8)'),
    });
  });

  it('refuses http when the policy does not allow it, before any lookup', async () => {
    const lookup = fakeLookup({ 'hooks.example.com': ['93.184.216.34'] });
    await expect(
      resolveWebhookTarget('http://hooks.example.com/', strict, lookup),
    ).rejects.toMatchObject({
      reason: 'scheme',
    });
    await expect(
      resolveWebhookTarget('http://hooks.example.com/', { ...strict, allowHttp: true }, lookup),
    ).resolves.toMatchObject({ address: '93.184.216.34' });
    expect(lookup.calls).toEqual(['hooks.example.com']);
  });

  it.each([
    ['https://u:p@hooks.example.com/', 'credentials'],
    ['https://metadata.google.internal/', 'forbidden-host'],
    ['https://[::1]/', 'forbidden-address'],
    ['no url', 'invalid-url'],
  ])('refuses %s with reason %s without a lookup', async (url, reason) => {
    const lookup = fakeLookup({});
    await expect(resolveWebhookTarget(url, strict, lookup)).rejects.toMatchObject({ reason });
    expect(lookup.calls).toEqual([]);
  });

  it('takes a literal address as it is, without a lookup', async () => {
    const lookup = fakeLookup({});
    await expect(
      resolveWebhookTarget('https://[2606:4700::1]:8443/x', strict, lookup),
    ).resolves.toEqual({
      url: new URL('https://[2606:4700::1]:8443/x'),
      address: '2606:4700::1',
      family: 6,
    });
    await expect(resolveWebhookTarget('http://0x7f.1/', open, lookup)).resolves.toMatchObject({
      address: '127.0.0.1',
      family: 4,
    });
    expect(lookup.calls).toEqual([]);
  });

  it('says a host that does not resolve is unresolvable, with the resolver’s code', async () => {
    const lookup = fakeLookup({ 'empty.example.com': [] });
    await expect(
      resolveWebhookTarget('https://gone.example.com/', strict, lookup),
    ).rejects.toMatchObject({
      reason: 'unresolvable',
      message: 'webhook host "gone.example.com" could not be resolved (ENOTFOUND)',
    });
    await expect(
      resolveWebhookTarget('https://empty.example.com/', strict, lookup),
    ).rejects.toMatchObject({
      reason: 'unresolvable',
      message: 'webhook host "empty.example.com" has no usable address',
    });
  });

  it('uses the system resolver by default', async () => {
    const target = await resolveWebhookTarget('http://localhost:9/', open);
    expect(['127.0.0.1', '::1']).toContain(target.address);
    await expect(
      resolveWebhookTarget('http://localhost:9/', { ...open, allowPrivateNetworks: false }),
    ).rejects.toMatchObject({
      reason: 'forbidden-host',
    });
  });
});
