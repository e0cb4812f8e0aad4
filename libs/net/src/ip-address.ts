import { isIP } from 'node:net';

/** An IP address as a number, so ranges can be compared without string tricks. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Parses an IPv4 or IPv6 literal (brackets and zone ids allowed); undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const literal = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(literal);
  if (family === 4) return { family: 4, value: ipv4ToBigInt(literal) };
  if (family === 6) return { family: 6, value: ipv6ToBigInt(literal) };
  return undefined;
}

/** Parses "10.0.0.0/8", "::1/128" or a bare address (a single-address range). */
export function parseCidr(text: string): Cidr | undefined {
  const [addressPart, prefixPart, ...rest] = text.trim().split('/');
  const ip = parseIp(addressPart);
  if (!ip || rest.length > 0) return undefined;
  const prefix = prefixPart === undefined ? BITS[ip.family] : Number(prefixPart);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > BITS[ip.family]) return undefined;
  return { family: ip.family, base: ip.value & mask(ip.family, prefix), prefix };
}

export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  return range.family === ip.family && (ip.value & mask(ip.family, range.prefix)) === range.base;
}

/**
 * The IPv4 address carried inside an IPv6 one (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
 * NAT64 64:ff9b::/96, 6to4 2002::/16): such forms reach the IPv4 host, so they are judged as it.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  const v = ip.value;
  const low32 = v & 0xffffffffn;
  if (v >> 32n === 0xffffn || v >> 32n === 0n) return v > 1n ? { family: 4, value: low32 } : undefined;
  if (v >> 32n === 0x0064ff9b0000000000000000n) return { family: 4, value: low32 };
  if (v >> 112n === 0x2002n) return { family: 4, value: (v >> 80n) & 0xffffffffn };
  return undefined;
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  let body = text;
  // A trailing dotted quad stands for the last two 16-bit groups.
  const dotted = body.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = ipv4ToBigInt(dotted[1]);
    body = body.slice(0, -dotted[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = body.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = new Array(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
