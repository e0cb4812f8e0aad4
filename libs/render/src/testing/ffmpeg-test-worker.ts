import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '@vrs/observability';
import { applyAssets } from '../assets/apply-assets';
import { createBuiltinDriver } from '../builtin/builtin-driver';
import type { FetchMedia } from '../driver/render-driver';
import { NexrenderApi, NexrenderJob } from '../nexrender/nexrender-api';
import { resolveRenderSettings } from '../settings/render-settings';
import type { Template } from '../template/template-schema';
import { parseTemplate } from '../template/validate-template';

const log = logger('render.ffmpeg-test-worker');

export interface FfmpegTestWorkerOptions {
  serverUrl: string;
  secret: string;
  /** Where per-job work directories are made. */
  workRoot: string;
  fetchMedia: FetchMedia;
  pollIntervalMs?: number;
}

export interface FfmpegTestWorker {
  stop(): Promise<void>;
}

/**
 * FOR TESTS: a stand-in for a nexrender After Effects worker. It talks to a nexrender server through
 * the same endpoints @nexrender/worker uses (GET /api/v1/jobs/pickup, PUT /api/v1/jobs/:uid) and
 * walks jobs through the same states, but renders with ffmpeg (the builtin driver) instead of After
 * Effects. So `template.src` must be one of our JSON templates (not an .aep), and its composition is
 * found by the After Effects name the job carries. Of the postrender actions it runs
 * `@nexrender/action-copy` only.
 */
export function startFfmpegTestWorker(options: FfmpegTestWorkerOptions): FfmpegTestWorker {
  const api = new NexrenderApi(options.serverUrl, options.secret);
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const job = await api.pickupJob(stopping.signal).catch((error) => {
        if (!stopping.signal.aborted) log.warn('pickup failed', { error: (error as Error).message });
        return undefined;
      });
      if (job) await renderJob(api, job, options, stopping.signal);
      else await sleep(options.pollIntervalMs ?? 200, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

async function renderJob(api: NexrenderApi, job: NexrenderJob, options: FfmpegTestWorkerOptions, signal: AbortSignal): Promise<void> {
  const workDir = await mkdtemp(join(options.workRoot, 'nexrender-job-'));
  try {
    await api.updateJob(job.uid, { state: 'started', startedAt: new Date().toISOString() });
    const templatePath = join(workDir, 'template.json');
    await options.fetchMedia(job.template.src, templatePath);
    const template = parseTemplate(JSON.parse(await readFile(templatePath, 'utf8')));
    const compositionName = ourCompositionName(template, job.template.composition);
    const composition = applyAssets(template, compositionName, job.assets);
    const frames =
      job.template.frameStart === undefined ? undefined : ([job.template.frameStart, job.template.frameEnd ?? job.template.frameStart] as [number, number]);
    const settings = resolveRenderSettings({ settings: { frames } }, composition);

    await api.updateJob(job.uid, { state: 'render:dorender', renderProgress: 0 });
    const progress = progressReporter(api, job.uid);
    const result = await createBuiltinDriver().render(
      { templateName: template.name, compositionName, composition, assets: [], settings, fetchMedia: options.fetchMedia },
      { workDir, signal, onProgress: progress.report },
    );
    await progress.flush();

    await api.updateJob(job.uid, { state: 'render:postrender' });
    for (const action of job.actions.postrender) await runPostrenderAction(action, result.outputPath);
    await api.updateJob(job.uid, { state: 'finished', renderProgress: 100, output: result.outputPath, finishedAt: new Date().toISOString() });
  } catch (error) {
    log.warn('test worker job failed', { uid: job.uid, error: (error as Error).message });
    await api.updateJob(job.uid, { state: 'error', error: (error as Error).message, errorAt: new Date().toISOString() }).catch(() => undefined);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function ourCompositionName(template: Template, aeComposition: string): string {
  const mapped = Object.entries(template.nexrender?.compositions ?? {}).find(([, ae]) => ae === aeComposition);
  return mapped ? mapped[0] : aeComposition;
}

async function runPostrenderAction(action: Record<string, unknown>, outputPath: string): Promise<void> {
  if (action.module !== '@nexrender/action-copy' || typeof action.output !== 'string') {
    throw new Error(`the ffmpeg test worker runs only @nexrender/action-copy with an output path, not ${String(action.module)}`);
  }
  await mkdir(dirname(action.output), { recursive: true });
  await copyFile(outputPath, action.output);
}

/** Sends renderProgress (percent) as the worker does, one update at a time and only when it moved. */
function progressReporter(api: NexrenderApi, uid: string) {
  let sent = 0;
  let chain = Promise.resolve();
  return {
    report(fraction: number) {
      const percent = Math.floor(fraction * 100);
      if (percent < sent + 5) return;
      sent = percent;
      chain = chain
        .then(() => api.updateJob(uid, { renderProgress: percent }))
        .then(
          () => undefined,
          () => undefined,
        );
    },
    flush: () => chain,
  };
}
