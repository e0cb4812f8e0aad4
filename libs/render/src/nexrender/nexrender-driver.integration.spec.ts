import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeJson } from '@vrs/media';
import { createBuiltinDriver } from '../builtin/builtin-driver';
import { buildRenderRequest, RenderJobInput } from '../driver/build-render-request';
import type { RenderContext } from '../driver/render-driver';
import { RenderSettingsError } from '../render-input-error';
import type { Template } from '../template/template-schema';
import { parseTemplate } from '../template/validate-template';
import { FfmpegTestWorker, startFfmpegTestWorker } from '../testing/ffmpeg-test-worker';
import { NexrenderTestServer, startNexrenderTestServer } from '../testing/nexrender-test-server';
import { differingShare, fetchOverHttp, FixtureServer, grabFrameRgb, introTemplate, startFixtureServer, tempDir } from '../testing/spec-support';
import { NexrenderApi } from './nexrender-api';
import { createNexrenderDriver, NexrenderJobError, NexrenderTimeoutError } from './nexrender-driver';
import { sharedDirectoryOutput } from './nexrender-output';
import { mapNexrenderState } from './nexrender-states';

const SECRET = 'test-nexrender-secret';

let root: string;
let sharedDir: string;
let fixtures: FixtureServer;
let nexrender: NexrenderTestServer;
let worker: FfmpegTestWorker;

function templateJson(templatePath: string) {
  return introTemplate(
    {
      background: { color: '#102030' },
      layers: [{ layerName: 'name', type: 'text', text: 'placeholder', fontSize: 36, color: '#ffffff', x: 'center', y: 'center' }],
    },
    { name: 'Farm greeting', driver: 'nexrender', nexrender: { templateSrc: fixtures.url(templatePath), compositions: { intro: 'Intro Comp' } } },
  );
}

const named = (value: string, extra: Partial<RenderJobInput> = {}): RenderJobInput => ({
  compositionName: 'intro',
  assets: [{ type: 'data', layerName: 'name', property: 'Source Text', value }],
  ...extra,
});

async function context(progress: number[] = [], signal = new AbortController().signal): Promise<RenderContext> {
  const workDir = join(root, `job-${Math.random().toString(36).slice(2)}`);
  await mkdir(workDir);
  return { workDir, signal, onProgress: (f) => progress.push(f) };
}

beforeAll(async () => {
  // The nexrender server logs every request with console.log.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  root = await tempDir('nexrender');
  sharedDir = join(root, 'shared-output');
  await mkdir(sharedDir);
  fixtures = await startFixtureServer();
  fixtures.serve('/greeting.json', JSON.stringify(templateJson('/greeting.json')));
  nexrender = await startNexrenderTestServer(SECRET, join(root, 'nexrender-database.json'));
  worker = startFfmpegTestWorker({ serverUrl: nexrender.url, secret: SECRET, workRoot: root, fetchMedia: fetchOverHttp, pollIntervalMs: 50 });
});

afterAll(async () => {
  await worker.stop();
  await nexrender.close();
  await fixtures.close();
  await rm(root, { recursive: true, force: true });
  jest.restoreAllMocks();
});

describe('mapNexrenderState', () => {
  it.each([
    ['queued', 'queued'],
    ['created', 'queued'],
    ['picked', 'render:dorender'],
    ['started', 'render:dorender'],
    ['render:download', 'render:dorender'],
    ['render:dorender', 'render:dorender'],
    ['finished', 'finished'],
    ['error', 'error'],
  ])('%s → %s', (state, ours) => expect(mapNexrenderState(state)).toBe(ours));

  it('refuses states it does not know', () => expect(() => mapNexrenderState('paused')).toThrow('unknown nexrender job state "paused"'));
});

describe('nexrender driver with the real @nexrender/server and the ffmpeg test worker', () => {
  const driver = () =>
    createNexrenderDriver({ serverUrl: nexrender.url, secret: SECRET, output: sharedDirectoryOutput(sharedDir), pollIntervalMs: 50, jobTimeoutMs: 60_000 });
  let template: Template;
  beforeAll(() => {
    template = parseTemplate(templateJson('/greeting.json'));
  });

  it('submits the job, follows it to finished and collects the output', async () => {
    const progress: number[] = [];
    const ctx = await context(progress);
    const request = buildRenderRequest(template, named('Ada Lovelace', { settings: { frames: [0, 24], engine: 'ae2025' } }), fetchOverHttp);
    const result = await driver().render(request, ctx);

    const probe = await ffprobeJson(result.outputPath);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 320, height: 180, nb_frames: 25 });
    expect(result.durationSec).toBeCloseTo(1, 1);
    // renderProgress from the polls (the worker starts at 0), never going back, ending at 1.
    expect(progress[0]).toBeLessThan(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress[progress.length - 1]).toBe(1);
    expect(await readdir(sharedDir)).toEqual([]);

    // The job the server stored carries the mapping, frames and engine.
    const api = new NexrenderApi(nexrender.url, SECRET);
    const jobs = (await fetch(`${nexrender.url}/api/v1/jobs`, { headers: { 'nexrender-secret': SECRET } }).then((r) => r.json())) as Array<{ uid: string }>;
    const stored = await api.getJob(jobs[jobs.length - 1].uid);
    expect(stored).toMatchObject({
      state: 'finished',
      renderProgress: 100,
      tags: 'ae2025',
      template: { src: fixtures.url('/greeting.json'), composition: 'Intro Comp', frameStart: 0, frameEnd: 24, settingsTemplate: 'Best Settings' },
      assets: [{ type: 'data', layerName: 'name', property: 'Source Text', value: 'Ada Lovelace' }],
      actions: { postrender: [{ module: '@nexrender/action-copy', output: join(sharedDir, `${stored.uid}.mp4`) }] },
    });

    // The injected text reached the worker: the frame matches a local builtin render of the same request.
    const local = await createBuiltinDriver().render(request, await context());
    const grace = await createBuiltinDriver().render(
      buildRenderRequest(template, named('Grace Hopper', { settings: { frames: [0, 24] } }), fetchOverHttp),
      await context(),
    );
    const farmFrame = await grabFrameRgb(result.outputPath, 0.6, root);
    expect(differingShare(farmFrame, await grabFrameRgb(local.outputPath, 0.6, root))).toBeLessThan(0.001);
    expect(differingShare(farmFrame, await grabFrameRgb(grace.outputPath, 0.6, root))).toBeGreaterThan(0.01);
  });

  it("reports the worker's reason when the job ends in error", async () => {
    const broken = parseTemplate(templateJson('/missing.json'));
    const request = buildRenderRequest(broken, named('Ada'), fetchOverHttp);
    const failure = driver().render(request, await context());
    await expect(failure).rejects.toThrow(NexrenderJobError);
    await expect(failure).rejects.toThrow(/failed: GET http:\/\/127\.0\.0\.1:\d+\/missing\.json answered 404/);
  });

  it('rejects a codec choice, which After Effects takes from the template', async () => {
    const request = buildRenderRequest(template, named('Ada', { settings: { codec: 'h265' } }), fetchOverHttp);
    await expect(driver().render(request, await context())).rejects.toThrow(RenderSettingsError);
  });

  it('times out when no worker takes the job, and removes it from the server', async () => {
    await worker.stop();
    const request = buildRenderRequest(template, named('Ada'), fetchOverHttp);
    const impatient = createNexrenderDriver({
      serverUrl: nexrender.url,
      secret: SECRET,
      output: sharedDirectoryOutput(sharedDir),
      pollIntervalMs: 50,
      jobTimeoutMs: 400,
    });
    await expect(impatient.render(request, await context())).rejects.toThrow(NexrenderTimeoutError);
    const jobs = (await fetch(`${nexrender.url}/api/v1/jobs`, { headers: { 'nexrender-secret': SECRET } }).then((r) => r.json())) as Array<{ state: string }>;
    expect(jobs.filter((job) => job.state === 'queued')).toEqual([]);
    worker = startFfmpegTestWorker({ serverUrl: nexrender.url, secret: SECRET, workRoot: root, fetchMedia: fetchOverHttp, pollIntervalMs: 50 });
  });

  it("rejects a wrong secret with the server's answer", async () => {
    const request = buildRenderRequest(template, named('Ada'), fetchOverHttp);
    const wrong = createNexrenderDriver({ serverUrl: nexrender.url, secret: 'nope', output: sharedDirectoryOutput(sharedDir) });
    await expect(wrong.render(request, await context())).rejects.toThrow(/answered 403 to POST \/api\/v1\/jobs: Wrong or no authentication secret/);
  });
});
