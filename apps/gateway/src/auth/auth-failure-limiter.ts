/** How many failed authentications a client address may make per window, and the memory bounds. */
export interface AuthFailureLimits {
  maxFailures: number;
  windowMs: number;
  /** Most client addresses tracked at once; past it the oldest windows are dropped. */
  maxClients: number;
  /** How long a credential that authenticated stays "known good" (it passes from a blocked address). */
  knownGoodMs: number;
  maxKnownGood: number;
}

interface FailureWindow {
  startedAt: number;
  count: number;
}

/**
 * Counts failed authentications per client address in a fixed window that starts at the first
 * failure. Past `maxFailures`, the address is refused until the window ends — without looking the
 * credential up, so guessing costs neither a database query nor an answer — except for credentials
 * that authenticated recently on this instance, so a tenant behind the same address (NAT, proxy)
 * keeps working while someone next to it guesses. Only failures count; a success resets nothing.
 * Both maps are insertion-ordered by time, so expired entries are dropped from the front.
 */
export class AuthFailureLimiter {
  private readonly failures = new Map<string, FailureWindow>();
  private readonly knownGood = new Map<string, number>();

  constructor(
    private readonly limits: AuthFailureLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `client` may try unknown credentials again; 0 when it may now. */
  retryAfterSeconds(client: string, credential?: string): number {
    if (credential !== undefined && this.isKnownGood(credential)) return 0;
    const window = this.failures.get(client);
    if (!window || window.count < this.limits.maxFailures) return 0;
    const left = window.startedAt + this.limits.windowMs - this.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  recordFailure(client: string): void {
    const now = this.now();
    this.evict(this.failures, (window) => window.startedAt + this.limits.windowMs <= now, this.limits.maxClients);
    const window = this.failures.get(client);
    if (window && window.startedAt + this.limits.windowMs > now) window.count += 1;
    else {
      this.failures.delete(client);
      this.failures.set(client, { startedAt: now, count: 1 });
    }
  }

  recordSuccess(credential: string): void {
    const now = this.now();
    this.evict(this.knownGood, (expiresAt) => expiresAt <= now, this.limits.maxKnownGood);
    this.knownGood.delete(credential);
    this.knownGood.set(credential, now + this.limits.knownGoodMs);
  }

  /** Entries held (for the memory bound's test). */
  get size(): { clients: number; knownGood: number } {
    return { clients: this.failures.size, knownGood: this.knownGood.size };
  }

  private isKnownGood(credential: string): boolean {
    const expiresAt = this.knownGood.get(credential);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** Drops expired entries from the oldest end, then the oldest ones while there is no room for one more. */
  private evict<V>(map: Map<string, V>, expired: (value: V) => boolean, max: number): void {
    for (const [key, value] of map) {
      if (!expired(value) && map.size < max) return;
      map.delete(key);
    }
  }
}
