import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AllowList } from './allow-list';
import { exchange } from './http-exchange';
import { OutboundError } from './outbound-error';
import { createOutboundPolicy, type OutboundPolicy } from './outbound-policy';
import { assertSafeUrl, resolveSafeTarget } from './safe-target';

const noAllowList = createOutboundPolicy('');

async function refusal(url: string, policy: OutboundPolicy = noAllowList): Promise<OutboundError> {
  const error = await assertSafeUrl(url, policy).then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

describe('assertSafeUrl', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://10.0.0.1/clip.mp4', 'private'],
    ['http://172.20.1.1/', 'private'],
    ['http://192.168.1.10/', 'private'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'], // decimal form of 127.0.0.1
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://169.254.10.1/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fc00::1]/', 'private'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://[::ffff:127.0.0.1]/', 'loopback address written as IPv6'],
    ['http://[::ffff:a9fe:a9fe]/', 'cloud metadata address written as IPv6'],
    ['http://[64:ff9b::a00:1]/', 'private address written as IPv6'],
  ])('refuses %s (%s)', async (url, reason) => {
    const error = await refusal(url);
    expect(error.code).toBe('blocked_url');
    expect(error.message).toContain(reason);
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/a.mp4', 'data:text/plain,hi', 'gopher://example.com/', 'javascript:alert(1)', 'not a url'])(
    'refuses %s as a bad scheme with a readable reason',
    async (url) => {
      const error = await refusal(url);
      expect(error.code).toBe('bad_scheme');
      expect(error.message).toMatch(/only http and https|not a valid URL/);
    },
  );

  it('refuses a host name when any of its addresses is internal', async () => {
    const policy: OutboundPolicy = {
      allowList: AllowList.empty(),
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ],
    };
    const error = await refusal('https://media.example.com/a.mp4', policy);
    expect(error.message).toBe(
      'The URL points at media.example.com, which resolves to 10.1.2.3, a private address the service may not call; use a public address.',
    );
  });

  it('accepts public addresses and what the allow-list permits, by CIDR or by host name', async () => {
    await expect(assertSafeUrl('https://93.184.216.34/a.mp4', noAllowList)).resolves.toBeInstanceOf(URL);
    await expect(assertSafeUrl('https://[2606:4700::1111]/', noAllowList)).resolves.toBeInstanceOf(URL);
    const allow = createOutboundPolicy('127.0.0.1/32,::1/128,10.9.0.0/16,minio.internal');
    await expect(assertSafeUrl('http://127.0.0.1:9000/', allow)).resolves.toBeInstanceOf(URL);
    await expect(assertSafeUrl('http://[::1]:9000/', allow)).resolves.toBeInstanceOf(URL);
    await expect(assertSafeUrl('http://10.9.3.4/', allow)).resolves.toBeInstanceOf(URL);
    expect((await refusal('http://10.8.3.4/', allow)).code).toBe('blocked_url');
    const byName: OutboundPolicy = { ...allow, resolve: async () => [{ address: '10.20.0.5', family: 4 }] };
    await expect(assertSafeUrl('http://MINIO.internal:9000/', byName)).resolves.toBeInstanceOf(URL);
  });

  it('rejects an allow-list entry that is neither CIDR nor host', () => {
    expect(() => AllowList.parse('10.0.0.0/99')).toThrow(/neither a CIDR nor a host/);
  });

  it('reports a host that does not resolve as a network error naming the host', async () => {
    const error = await refusal('http://no-such-host.invalid/a.mp4');
    expect(error.code).toBe('network');
    expect(error.message).toContain('"no-such-host.invalid"');
  });
});

describe('address pinning', () => {
  it('connects to the address that was checked, not to a later DNS answer (rebinding)', async () => {
    const server = createServer((_req, res) => res.end('pinned'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let answers = 0;
    // First answer (the check) is the allowed loopback; any later answer would be the metadata address.
    const policy: OutboundPolicy = {
      allowList: AllowList.parse('127.0.0.1/32'),
      resolve: async () => [{ address: answers++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }],
    };
    try {
      const target = await resolveSafeTarget(`http://rebind.test:${port}/`, policy);
      const response = await exchange(target, { method: 'GET', connectTimeoutMs: 2000, idleTimeoutMs: 2000 });
      let body = '';
      for await (const chunk of response) body += chunk;
      expect(body).toBe('pinned');
      expect(answers).toBe(1);
    } finally {
      server.close();
    }
  });
});
