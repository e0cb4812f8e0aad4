import { rm } from 'node:fs/promises';
import { createBuiltinDriver } from '../builtin/builtin-driver';
import { buildRenderRequest } from '../driver/build-render-request';
import type { RenderContext, RenderDriver, RenderRequest, RenderResult } from '../driver/render-driver';
import { RenderInputError } from '../render-input-error';
import { parseTemplate } from '../template/validate-template';
import { fetchOverHttp, tempDir } from '../testing/spec-support';
import {
  CircuitOpenError,
  createResilientDriver,
  RenderCancelledError,
  RenderFailedError,
  RenderTimeoutError,
  ResilientRenderDriver,
} from './resilient-driver';

const template = parseTemplate({
  name: 'Big',
  driver: 'builtin',
  compositions: {
    small: { width: 64, height: 64, fps: 10, durationSec: 1 },
    // Long enough that it cannot finish within the timeouts below.
    huge: { width: 3840, height: 2160, fps: 60, durationSec: 600, layers: [{ layerName: 't', type: 'text', text: 'slow', fontSize: 400 }] },
  },
});
const request = (compositionName: string): RenderRequest => buildRenderRequest(template, { compositionName }, fetchOverHttp);

let workDir: string;
let wrapped: ResilientRenderDriver | undefined;
beforeEach(async () => {
  workDir = await tempDir('resilience');
});
afterEach(async () => {
  wrapped?.breaker.shutdown();
  await rm(workDir, { recursive: true, force: true });
});

const ctx = (signal = new AbortController().signal): RenderContext => ({ workDir, signal, onProgress: () => undefined });

/** A driver whose failures are scripted: each call takes the next outcome. */
function scriptedDriver(outcomes: Array<Error | 'ok'>): RenderDriver & { calls: number } {
  const driver = {
    name: 'scripted',
    calls: 0,
    async render(): Promise<RenderResult> {
      const outcome = outcomes[Math.min(driver.calls++, outcomes.length - 1)];
      if (outcome instanceof Error) throw outcome;
      return { outputPath: '/dev/null', durationSec: 1 };
    },
  };
  return driver;
}

describe('createResilientDriver', () => {
  it('opens the circuit after repeated failures and then fails fast without calling the driver', async () => {
    const driver = scriptedDriver([new Error('render farm unreachable')]);
    wrapped = createResilientDriver(driver, { timeoutMs: 1000, retries: 0, breaker: { volumeThreshold: 3, resetTimeoutMs: 60_000 } });
    for (let i = 0; i < 3; i++) await expect(wrapped.render(request('small'), ctx())).rejects.toThrow('render farm unreachable');
    expect(wrapped.breaker.opened).toBe(true);

    const started = Date.now();
    await expect(wrapped.render(request('small'), ctx())).rejects.toThrow(CircuitOpenError);
    await expect(wrapped.render(request('small'), ctx())).rejects.toThrow(/scripted renderer is failing repeatedly.*within 60 s/);
    expect(Date.now() - started).toBeLessThan(100);
    expect(driver.calls).toBe(3);
  });

  it('retries with backoff and returns the first success', async () => {
    const driver = scriptedDriver([new Error('flaky'), new Error('flaky'), 'ok']);
    wrapped = createResilientDriver(driver, { timeoutMs: 1000, retries: 2, backoff: { initialMs: 20, maxMs: 40 } });
    const started = Date.now();
    await expect(wrapped.render(request('small'), ctx())).resolves.toEqual({ outputPath: '/dev/null', durationSec: 1 });
    expect(driver.calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10 + 20); // at least half of each backoff step
  });

  it('gives up after the retries with the last reason', async () => {
    const driver = scriptedDriver([new Error('disk full')]);
    wrapped = createResilientDriver(driver, { timeoutMs: 1000, retries: 2, backoff: { initialMs: 1, maxMs: 2 }, breaker: { volumeThreshold: 100 } });
    const failure = wrapped.render(request('small'), ctx());
    await expect(failure).rejects.toThrow(RenderFailedError);
    await expect(failure).rejects.toThrow('The scripted render failed after 3 attempts: disk full');
    expect(driver.calls).toBe(3);
  });

  it('neither retries nor counts bad input against the driver', async () => {
    const driver = scriptedDriver([new RenderInputError('bad template', [{ field: 'x', message: 'bad' }])]);
    wrapped = createResilientDriver(driver, { timeoutMs: 1000, retries: 3, breaker: { volumeThreshold: 1 } });
    for (let i = 0; i < 3; i++) await expect(wrapped.render(request('small'), ctx())).rejects.toThrow(RenderInputError);
    expect(driver.calls).toBe(3);
    expect(wrapped.breaker.opened).toBe(false);
  });

  it('stops a real ffmpeg render at the timeout', async () => {
    wrapped = createResilientDriver(createBuiltinDriver(), { timeoutMs: 700, retries: 0 });
    const started = Date.now();
    await expect(wrapped.render(request('huge'), ctx())).rejects.toThrow(RenderTimeoutError);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports cancellation by the caller as such and does not retry it', async () => {
    wrapped = createResilientDriver(createBuiltinDriver(), { timeoutMs: 60_000, retries: 3, breaker: { volumeThreshold: 1 } });
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 300);
    await expect(wrapped.render(request('huge'), ctx(cancel.signal))).rejects.toThrow(RenderCancelledError);
    expect(wrapped.breaker.opened).toBe(false);
  });
});
