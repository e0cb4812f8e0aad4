import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { logger } from '@vrs/observability';
import type { RenderContext, RenderDriver, RenderRequest, RenderResult } from '../driver/render-driver';
import { RenderInputError } from '../render-input-error';

const log = logger('render.resilience');

export interface ResilienceOptions {
  /** Limit for one attempt; the attempt is aborted (ffmpeg killed, nexrender job removed) when it passes. */
  timeoutMs: number;
  /** Attempts after the first one. */
  retries: number;
  /** Exponential backoff between attempts, with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  breaker?: {
    /** Failure percentage within the rolling window that opens the circuit (default 50). */
    errorThresholdPercentage?: number;
    /** Attempts in the window before the percentage counts (default 5). */
    volumeThreshold?: number;
    /** How long the circuit stays open before one trial attempt is let through (default 30 s). */
    resetTimeoutMs?: number;
    /** Length of the rolling statistics window (default 60 s). */
    rollingCountTimeoutMs?: number;
  };
}

export class RenderTimeoutError extends Error {
  constructor(driverName: string, timeoutMs: number) {
    super(`The ${driverName} render took longer than ${timeoutMs} ms and was stopped`);
    this.name = 'RenderTimeoutError';
  }
}

/** The driver has been failing; renders are refused at once until the breaker lets a trial through. */
export class CircuitOpenError extends Error {
  constructor(driverName: string, resetTimeoutMs: number) {
    super(`The ${driverName} renderer is failing repeatedly, so renders are refused for now; it is retried within ${Math.ceil(resetTimeoutMs / 1000)} s`);
    this.name = 'CircuitOpenError';
  }
}

/** The caller cancelled the render through its signal. */
export class RenderCancelledError extends Error {
  constructor(driverName: string, cause: unknown) {
    super(`The ${driverName} render was cancelled`, { cause });
    this.name = 'RenderCancelledError';
  }
}

export class RenderFailedError extends Error {
  constructor(
    driverName: string,
    readonly attempts: number,
    cause: Error,
  ) {
    super(`The ${driverName} render failed after ${attempts} attempts: ${cause.message}`, { cause });
    this.name = 'RenderFailedError';
  }
}

export interface ResilientRenderDriver extends RenderDriver {
  /** Exposed for health reporting (`opened`, `stats`) and `shutdown()` when the process stops. */
  readonly breaker: CircuitBreaker<[RenderRequest, RenderContext], RenderResult>;
}

/**
 * Wraps a driver with a per-attempt timeout, bounded retries with backoff, and a circuit breaker
 * (opossum) shared by all renders through this wrapper. Bad input and cancellation by the caller
 * are neither retried nor counted against the driver.
 */
export function createResilientDriver(driver: RenderDriver, options: ResilienceOptions): ResilientRenderDriver {
  const resetTimeoutMs = options.breaker?.resetTimeoutMs ?? 30_000;
  const initialMs = options.backoff?.initialMs ?? 1_000;
  const maxMs = options.backoff?.maxMs ?? 30_000;

  const breaker = new CircuitBreaker((request: RenderRequest, ctx: RenderContext) => attempt(driver, request, ctx, options.timeoutMs), {
    name: `render:${driver.name}`,
    timeout: false, // our own timeout aborts the attempt; opossum's would only stop waiting for it
    errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
    volumeThreshold: options.breaker?.volumeThreshold ?? 5,
    resetTimeout: resetTimeoutMs,
    rollingCountTimeout: options.breaker?.rollingCountTimeoutMs ?? 60_000,
    errorFilter: (error: unknown) => !countsAgainstDriver(error),
  });
  breaker.on('open', () => log.warn('render driver circuit opened', { driver: driver.name }));
  breaker.on('halfOpen', () => log.info('render driver circuit half-open, letting a trial render through', { driver: driver.name }));
  breaker.on('close', () => log.info('render driver circuit closed', { driver: driver.name }));

  return {
    name: driver.name,
    breaker,
    async render(request, ctx) {
      for (let attemptNo = 1; ; attemptNo++) {
        try {
          return await breaker.fire(request, ctx);
        } catch (error) {
          if ((error as { code?: string }).code === 'EOPENBREAKER') throw new CircuitOpenError(driver.name, resetTimeoutMs);
          if (!countsAgainstDriver(error)) throw error;
          if (attemptNo > options.retries) throw attemptNo === 1 ? error : new RenderFailedError(driver.name, attemptNo, error as Error);
          const delayMs = backoffMs(attemptNo, initialMs, maxMs);
          log.warn('render attempt failed, retrying', { driver: driver.name, attempt: attemptNo, delayMs, error: (error as Error).message });
          await sleep(delayMs, undefined, { signal: ctx.signal }).catch((abort) => {
            throw new RenderCancelledError(driver.name, abort);
          });
        }
      }
    },
  };
}

/** Bad input and the caller's own cancellation say nothing about the driver's health. */
function countsAgainstDriver(error: unknown): boolean {
  return !(error instanceof RenderInputError) && !(error instanceof RenderCancelledError);
}

function backoffMs(attemptNo: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attemptNo - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** One render with a deadline: on timeout the driver is told to stop through its signal. */
async function attempt(driver: RenderDriver, request: RenderRequest, ctx: RenderContext, timeoutMs: number): Promise<RenderResult> {
  const deadline = new AbortController();
  const timeoutError = new RenderTimeoutError(driver.name, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  // Rejects even if a driver ignores its signal, so a stuck render cannot hold the job forever.
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(timeoutError);
      deadline.abort(timeoutError);
    }, timeoutMs);
  });
  try {
    return await Promise.race([driver.render(request, { ...ctx, signal: AbortSignal.any([ctx.signal, deadline.signal]) }), timedOut]);
  } catch (error) {
    if (ctx.signal.aborted) throw new RenderCancelledError(driver.name, error);
    throw deadline.signal.aborted ? timeoutError : error;
  } finally {
    clearTimeout(timer);
  }
}
