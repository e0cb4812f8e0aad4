import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { blockedReason } from './address-ranges';
import { parseIp } from './ip-address';
import { describeUrl, OutboundError } from './outbound-error';
import { outboundPolicyFromEnv, type OutboundPolicy, type ResolvedAddress } from './outbound-policy';

/** A URL that passed the policy, with the addresses it was checked against; connect only to these. */
export interface SafeTarget {
  url: URL;
  addresses: ResolvedAddress[];
}

/** Parses `url` and accepts only http and https; throws OutboundError 'bad_scheme' otherwise. */
export function parseOutboundUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    throw new OutboundError('bad_scheme', `"${String(url).slice(0, 200)}" is not a valid URL; give a full http or https URL.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OutboundError('bad_scheme', `The URL uses the ${parsed.protocol} scheme; only http and https URLs are accepted.`);
  }
  return parsed;
}

let envPolicy: OutboundPolicy | undefined;

/** The process-wide policy read once from env OUTBOUND_ALLOWLIST. */
export function defaultOutboundPolicy(): OutboundPolicy {
  envPolicy ??= outboundPolicyFromEnv();
  return envPolicy;
}

/**
 * Checks the scheme, resolves every A/AAAA address of the host and refuses the URL if any of them is
 * loopback, private, link-local, metadata, etc., unless the allow-list permits it.
 */
export async function resolveSafeTarget(url: string | URL, policy: OutboundPolicy = defaultOutboundPolicy()): Promise<SafeTarget> {
  const parsed = parseOutboundUrl(url);
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const literal = parseIp(hostname);
  const addresses = literal ? [{ address: hostname, family: literal.family }] : await resolveHost(hostname, parsed, policy);
  if (!policy.allowList.allowsHost(hostname)) {
    for (const { address } of addresses) {
      const ip = parseIp(address)!;
      const reason = blockedReason(ip);
      if (reason && !policy.allowList.allowsAddress(ip)) {
        const shown = literal ? `the address ${hostname}` : `${hostname}, which resolves to ${address}`;
        throw new OutboundError('blocked_url', `The URL points at ${shown}, ${reason} the service may not call; use a public address.`);
      }
    }
  }
  return { url: parsed, addresses };
}

/** Like resolveSafeTarget, for callers that only need the yes/no (throws OutboundError when refused). */
export async function assertSafeUrl(url: string | URL, policy?: OutboundPolicy): Promise<URL> {
  return (await resolveSafeTarget(url, policy)).url;
}

/**
 * A `lookup` for sockets that answers with the checked addresses only, so a second DNS answer cannot
 * swap in an internal address between the check and the connection (DNS rebinding).
 */
export function pinnedLookup(target: SafeTarget): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const cb = typeof options === 'function' ? (options as typeof callback) : callback;
    if (typeof options === 'object' && options?.all) cb(null, target.addresses);
    else cb(null, target.addresses[0].address, target.addresses[0].family);
  }) as LookupFunction;
}

/** An http(s) agent whose connections go only to the target's checked addresses (for SDK clients). */
export function pinnedAgent(target: SafeTarget, options: http.AgentOptions = {}): http.Agent {
  const agentOptions = { ...options, lookup: pinnedLookup(target) };
  return target.url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
}

async function resolveHost(hostname: string, url: URL, policy: OutboundPolicy): Promise<ResolvedAddress[]> {
  try {
    const addresses = await policy.resolve(hostname);
    if (addresses.length === 0) throw new Error('no addresses');
    return addresses;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutboundError(
      'network',
      `The host "${hostname}" in ${describeUrl(url)} could not be resolved${code ? ` (${code})` : ''}; check the spelling of the URL.`,
      {
        transient: code === 'EAI_AGAIN',
        cause: error,
      },
    );
  }
}
