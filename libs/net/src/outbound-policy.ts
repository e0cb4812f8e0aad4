import { lookup } from 'node:dns/promises';
import { AllowList } from './allow-list';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** The injection token of a service's `OutboundPolicy` (outboundPolicyFromEnv). */
export const OUTBOUND_POLICY = Symbol('OUTBOUND_POLICY');

/** What outbound calls may reach: public addresses, plus what the allow-list lets through. */
export interface OutboundPolicy {
  allowList: AllowList;
  /** Resolves a host name to every address it has; swap in tests to simulate hostile DNS. */
  resolve: (hostname: string) => Promise<ResolvedAddress[]>;
}

export async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

export function createOutboundPolicy(allowList: string | AllowList = AllowList.empty()): OutboundPolicy {
  return { allowList: typeof allowList === 'string' ? AllowList.parse(allowList) : allowList, resolve: systemResolve };
}

/** The policy from env OUTBOUND_ALLOWLIST (e.g. "127.0.0.1/32,::1/128,minio.internal"). */
export function outboundPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  return createOutboundPolicy(env.OUTBOUND_ALLOWLIST ?? '');
}
