import { cidrContains, embeddedIpv4, parseCidr, type Cidr, type IpAddress } from './ip-address';

/**
 * Operator-approved exceptions to the blocked ranges: CIDRs ("127.0.0.1/32", "::1/128") and exact host
 * names ("minio.internal"). Written as a comma-separated list, e.g. env OUTBOUND_ALLOWLIST.
 */
export class AllowList {
  private constructor(
    private readonly ranges: Cidr[],
    private readonly hosts: Set<string>,
  ) {}

  static parse(text: string | undefined): AllowList {
    const ranges: Cidr[] = [];
    const hosts = new Set<string>();
    for (const entry of (text ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const range = parseCidr(entry);
      if (range) ranges.push(range);
      else if (/^[a-z0-9.-]+$/i.test(entry) && !entry.includes('/')) hosts.add(entry.toLowerCase());
      else throw new Error(`Allow-list entry "${entry}" is neither a CIDR nor a host name.`);
    }
    return new AllowList(ranges, hosts);
  }

  static empty(): AllowList {
    return new AllowList([], new Set());
  }

  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  allowsAddress(ip: IpAddress): boolean {
    const inner = embeddedIpv4(ip);
    return this.ranges.some((range) => cidrContains(range, ip) || (inner !== undefined && cidrContains(range, inner)));
  }
}
