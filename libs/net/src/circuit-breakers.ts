import CircuitBreaker from 'opossum';
import { logger } from '@vrs/observability';

export interface BreakerConfig {
  /** Milliseconds before one call counts as failed (false: no limit; callers bound their own time). */
  timeout: number | false;
  /** Failure percentage within the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Milliseconds an open circuit waits before letting one trial call through. */
  resetTimeout: number;
  /** Calls within the rolling window before the percentage is judged at all. */
  volumeThreshold: number;
  /** Length of the rolling statistics window in milliseconds. */
  rollingCountTimeout: number;
}

export const DEFAULT_BREAKER_CONFIG: BreakerConfig = {
  timeout: 30_000,
  errorThresholdPercentage: 50,
  resetTimeout: 30_000,
  volumeThreshold: 5,
  rollingCountTimeout: 10_000,
};

/** Reads BREAKER_TIMEOUT_MS, BREAKER_ERROR_PERCENT, BREAKER_RESET_MS, BREAKER_VOLUME; defaults otherwise. */
export function breakerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BreakerConfig {
  const num = (name: string, fallback: number) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback);
  return {
    ...DEFAULT_BREAKER_CONFIG,
    timeout: num('BREAKER_TIMEOUT_MS', DEFAULT_BREAKER_CONFIG.timeout as number),
    errorThresholdPercentage: num('BREAKER_ERROR_PERCENT', DEFAULT_BREAKER_CONFIG.errorThresholdPercentage),
    resetTimeout: num('BREAKER_RESET_MS', DEFAULT_BREAKER_CONFIG.resetTimeout),
    volumeThreshold: num('BREAKER_VOLUME', DEFAULT_BREAKER_CONFIG.volumeThreshold),
  };
}

/** Thrown instead of calling when the circuit for `key` is open. */
export class CircuitOpenError extends Error {
  readonly name = 'CircuitOpenError';
  constructor(
    readonly key: string,
    readonly retryInMs: number,
  ) {
    super(`Calls to ${key} are paused after repeated failures; they resume within ${Math.ceil(retryInMs / 1000)}s.`);
  }
}

/** Thrown when one call took longer than the breaker's timeout; the call's signal is aborted too. */
export class CircuitTimeoutError extends Error {
  readonly name = 'CircuitTimeoutError';
  constructor(
    readonly key: string,
    readonly timeoutMs: number,
  ) {
    super(`The call to ${key} took longer than ${timeoutMs} ms and was abandoned.`);
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

type Action = (signal: AbortSignal) => Promise<unknown>;

/**
 * One circuit breaker per key (a host, usually), created on first use with the same config, so one
 * failing host fails fast without slowing calls to healthy ones.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker<[Action, AbortSignal], unknown>>();
  private readonly log = logger('circuit-breakers');
  readonly config: BreakerConfig;

  /** `countsAsFailure` decides which errors are the host's fault (e.g. not a 404 or a refused URL). */
  constructor(
    config: Partial<BreakerConfig> = {},
    private readonly countsAsFailure: (error: unknown) => boolean = () => true,
  ) {
    this.config = { ...DEFAULT_BREAKER_CONFIG, ...config };
  }

  /** Runs `action` through the breaker for `key`; the signal aborts if the breaker gives up on it. */
  async run<T>(key: string, action: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const breaker = this.breakerFor(key);
    const controller = new AbortController();
    try {
      return (await breaker.fire(action, controller.signal)) as T;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EOPENBREAKER') throw new CircuitOpenError(key, this.config.resetTimeout);
      if (code === 'ETIMEDOUT' && !controller.signal.aborted && (error as Error).message.startsWith('Timed out after')) {
        const timeoutError = new CircuitTimeoutError(key, this.config.timeout as number);
        controller.abort(timeoutError);
        throw timeoutError;
      }
      throw error;
    }
  }

  state(key: string): BreakerState {
    const breaker = this.breakers.get(key);
    if (!breaker || breaker.closed) return 'closed';
    return breaker.halfOpen ? 'half-open' : 'open';
  }

  /** How many keys' circuits are in each state now (for metrics: the keys themselves are hosts, unbounded). */
  countByState(): Record<BreakerState, number> {
    const counts: Record<BreakerState, number> = { closed: 0, open: 0, 'half-open': 0 };
    for (const key of this.breakers.keys()) counts[this.state(key)] += 1;
    return counts;
  }

  /** Stops the breakers' statistics timers (call on shutdown and at the end of tests). */
  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private breakerFor(key: string): CircuitBreaker<[Action, AbortSignal], unknown> {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker((action: Action, signal: AbortSignal) => action(signal), {
        ...this.config,
        name: key,
        errorFilter: (error: unknown) => !this.countsAsFailure(error),
      });
      breaker.on('open', () => this.log.warn('circuit opened', { key, resetMs: this.config.resetTimeout }));
      breaker.on('halfOpen', () => this.log.info('circuit half-open, trying one call', { key }));
      breaker.on('close', () => this.log.info('circuit closed', { key }));
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}
