import { addressVerdict, isAppError, parsePublicUrl, resolvePublicTarget } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';

describe('addressVerdict', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('lets %s through', (address) => {
    expect(addressVerdict(address)).toEqual({ allowed: true });
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'private'], // NAT64 of 10.0.0.1
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal'], // NAT64 of the metadata server
    ['2002:7f00:1::1', 'loopback'], // 6to4 of 127.0.0.1
    ['2001::1', 'teredo'],
    ['not-an-ip', 'unparseable'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressVerdict(address)).toEqual({ allowed: false, range });
  });
});

describe('parsePublicUrl', () => {
  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return isAppError(err) ? (err.details as { reason: string }).reason : 'not an AppError';
    }
    return 'accepted';
  };

  it('takes http and https only, without credentials', () => {
    expect(parsePublicUrl('https://example.com/a.png').hostname).toBe('example.com');
    expect(reasonOf(() => parsePublicUrl('ftp://example.com/a.png'))).toBe('scheme_not_allowed');
    expect(reasonOf(() => parsePublicUrl('file:///etc/passwd'))).toBe('scheme_not_allowed');
    expect(reasonOf(() => parsePublicUrl('gopher://example.com:70/_x'))).toBe('scheme_not_allowed');
    expect(reasonOf(() => parsePublicUrl('data:image/png;base64,AAAA'))).toBe('scheme_not_allowed');
    expect(reasonOf(() => parsePublicUrl('http://user:pw@example.com/'))).toBe('credentials_in_url');
    expect(reasonOf(() => parsePublicUrl('not a url'))).toBe('bad_url');
  });

  it('normalises the odd spellings of an IPv4 address, so the address check sees 127.0.0.1', () => {
    for (const url of ['http://2130706433/', 'http://0x7f000001/', 'http://127.1/', 'http://0177.0.0.1/']) {
      expect(parsePublicUrl(url).hostname, url).toBe('127.0.0.1');
    }
  });
});

describe('resolvePublicTarget', () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) =>
    (table[host] ?? []).map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));

  it('checks every address a name has and refuses if any is private', async () => {
    const resolve = resolver({ 'ok.test': ['93.184.216.34'], 'mixed.test': ['93.184.216.34', '10.0.0.7'] });
    await expect(resolvePublicTarget(new URL('http://ok.test/'), { resolve })).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    await expect(resolvePublicTarget(new URL('http://mixed.test/'), { resolve })).rejects.toMatchObject({
      status: 400,
      details: { reason: 'blocked_address', range: 'private' },
    });
    await expect(resolvePublicTarget(new URL('http://none.test/'), { resolve })).rejects.toMatchObject({
      details: { reason: 'dns_failed' },
    });
  });

  it('excepts only the exact loopback address and port a test names, never a private address', async () => {
    const testOnlyLoopbackExceptions = [
      { address: '127.0.0.1', port: 8123 },
      { address: '10.0.0.1', port: 80 },
    ];
    await expect(
      resolvePublicTarget(new URL('http://127.0.0.1:8123/'), { testOnlyLoopbackExceptions }),
    ).resolves.toMatchObject({ address: '127.0.0.1' });
    for (const url of ['http://127.0.0.1:8124/', 'http://127.0.0.2:8123/', 'http://10.0.0.1/', 'http://127.0.0.1/']) {
      await expect(resolvePublicTarget(new URL(url), { testOnlyLoopbackExceptions }), url).rejects.toMatchObject({
        details: { reason: 'blocked_address' },
      });
    }
    // And without the option, loopback is refused like any other blocked address.
    await expect(resolvePublicTarget(new URL('http://127.0.0.1:8123/'))).rejects.toMatchObject({
      details: { reason: 'blocked_address', range: 'loopback' },
    });
  });
});
