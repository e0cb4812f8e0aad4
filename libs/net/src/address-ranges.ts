import { cidrContains, embeddedIpv4, parseCidr, type Cidr, type IpAddress } from './ip-address';

/** Ranges the service never calls unless the allow-list says so, each with the reason a person will read. */
const BLOCKED: Array<[reason: string, cidr: string]> = [
  ['a cloud metadata address', '169.254.169.254/32'],
  ['a cloud metadata address', 'fd00:ec2::254/128'],
  ['an unspecified ("this network") address', '0.0.0.0/8'],
  ['a loopback address', '127.0.0.0/8'],
  ['a private address', '10.0.0.0/8'],
  ['a private address', '172.16.0.0/12'],
  ['a private address', '192.168.0.0/16'],
  ['a carrier-grade NAT address', '100.64.0.0/10'],
  ['a link-local address', '169.254.0.0/16'],
  ['a reserved address', '192.0.0.0/24'],
  ['a documentation address', '192.0.2.0/24'],
  ['a benchmarking address', '198.18.0.0/15'],
  ['a documentation address', '198.51.100.0/24'],
  ['a documentation address', '203.0.113.0/24'],
  ['a multicast address', '224.0.0.0/4'],
  ['a reserved address', '240.0.0.0/4'],
  ['an unspecified address', '::/128'],
  ['a loopback address', '::1/128'],
  ['a discard-only address', '100::/64'],
  ['a documentation address', '2001:db8::/32'],
  ['a private address', 'fc00::/7'],
  ['a link-local address', 'fe80::/10'],
  ['a site-local address', 'fec0::/10'],
  ['a multicast address', 'ff00::/8'],
];

const RANGES: Array<{ reason: string; range: Cidr }> = BLOCKED.map(([reason, cidr]) => ({ reason, range: parseCidr(cidr)! }));

/** Why `ip` must not be called (e.g. "a private address"), or undefined when it is a public address. */
export function blockedReason(ip: IpAddress): string | undefined {
  const direct = RANGES.find(({ range }) => cidrContains(range, ip))?.reason;
  if (direct) return direct;
  const inner = embeddedIpv4(ip);
  const innerReason = inner && blockedReason(inner);
  return innerReason ? `${innerReason} written as IPv6` : undefined;
}
