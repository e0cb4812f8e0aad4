import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ffprobeJson } from '@vrs/media';
import { logger } from '@vrs/observability';
import type { RenderContext, RenderDriver, RenderRequest, RenderResult } from '../driver/render-driver';
import { NexrenderApi, NexrenderJob } from './nexrender-api';
import { buildNexrenderJob } from './nexrender-job';
import type { NexrenderOutputLocation } from './nexrender-output';
import { mapNexrenderState } from './nexrender-states';

const log = logger('render.nexrender');

export interface NexrenderDriverOptions {
  serverUrl: string;
  secret: string;
  output: NexrenderOutputLocation;
  /** How often the job is polled (default 2 s). */
  pollIntervalMs?: number;
  /** How long a job may take from submission to finished, queue time included (default 30 min). */
  jobTimeoutMs?: number;
  /** Consecutive failed polls tolerated before giving up (default 5). */
  maxPollFailures?: number;
}

/** The nexrender job ended in `error`; carries the worker's reason. */
export class NexrenderJobError extends Error {
  constructor(
    readonly jobUid: string,
    reason: string,
  ) {
    super(`nexrender job ${jobUid} failed: ${reason}`);
    this.name = 'NexrenderJobError';
  }
}

export class NexrenderTimeoutError extends Error {
  constructor(
    readonly jobUid: string,
    timeoutMs: number,
    lastState: string,
  ) {
    super(`nexrender job ${jobUid} did not finish within ${timeoutMs} ms (last state: ${lastState}); it was removed`);
    this.name = 'NexrenderTimeoutError';
  }
}

/**
 * Renders through a self-hosted nexrender server (After Effects workers): submits the job, polls it
 * until `finished` or `error`, reporting `renderProgress`, then collects the file from the output
 * location. A job that is cancelled or times out is removed from the server.
 */
export function createNexrenderDriver(options: NexrenderDriverOptions): RenderDriver {
  const api = new NexrenderApi(options.serverUrl, options.secret);
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const jobTimeoutMs = options.jobTimeoutMs ?? 30 * 60_000;
  const maxPollFailures = options.maxPollFailures ?? 5;

  async function waitUntilDone(uid: string, ctx: RenderContext): Promise<NexrenderJob> {
    const deadline = Date.now() + jobTimeoutMs;
    let lastState = 'queued';
    let failures = 0;
    for (;;) {
      if (Date.now() >= deadline) throw new NexrenderTimeoutError(uid, jobTimeoutMs, lastState);
      await sleep(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())), undefined, { signal: ctx.signal });
      let job: NexrenderJob;
      try {
        job = await api.getJob(uid, ctx.signal);
        failures = 0;
      } catch (error) {
        if (ctx.signal.aborted || ++failures >= maxPollFailures) throw error;
        log.warn('polling nexrender job failed, trying again', { uid, failures, error: (error as Error).message });
        continue;
      }
      lastState = job.state;
      const status = mapNexrenderState(job.state);
      if (status === 'finished') return job;
      if (status === 'error') throw new NexrenderJobError(uid, errorText(job.error));
      if (status === 'render:dorender') ctx.onProgress(Math.max(0, Math.min(1, (job.renderProgress ?? 0) / 100)));
    }
  }

  return {
    name: 'nexrender',
    async render(request: RenderRequest, ctx: RenderContext): Promise<RenderResult> {
      const uid = randomUUID();
      const extension = request.nexrender?.outputExt ?? 'mp4';
      const job = buildNexrenderJob(request, uid, options.output.postrenderActions(uid, extension));
      await api.createJob(job, ctx.signal);
      log.info('submitted nexrender job', { uid, template: request.templateName, composition: job.template.composition });
      try {
        await waitUntilDone(uid, ctx);
      } catch (error) {
        if (!(error instanceof NexrenderJobError))
          await api.removeJob(uid).catch((e) => log.warn('could not remove nexrender job', { uid, error: (e as Error).message }));
        throw error;
      }
      const outputPath = join(ctx.workDir, `output.${extension}`);
      await options.output.retrieve(uid, extension, outputPath);
      ctx.onProgress(1);
      const probe = await ffprobeJson(outputPath);
      return { outputPath, durationSec: Number(probe.format.duration) };
    },
  };
}

function errorText(error: NexrenderJob['error']): string {
  if (Array.isArray(error)) return error.join('; ');
  return error || 'the worker gave no reason';
}
