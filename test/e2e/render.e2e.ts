import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childJobId, TOPICS } from '@vrs/contracts';
import { ffprobeJson } from '@vrs/media';
import { startFfmpegTestWorker, type FfmpegTestWorker } from '@vrs/render/testing';
import { readTopic, testKafka, topicEnd } from '@vrs/testing';
import { differingShare, fetchOverHttp, grabFrameRgb } from '../../libs/render/src/testing/spec-support';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { addInstance, apiClient, createTenant, ensureServices, killService, SAMPLE_MEDIA, stopInstance, type ApiClient } from '../support/system';

// scripts/services.sh points the render-adapter at a nexrender farm here (NEXRENDER_* defaults).
const NEXRENDER_PORT = 3050;
const NEXRENDER_SECRET = 'local-nexrender-secret';

const composition = (layers: unknown[]) => ({ width: 160, height: 90, fps: 25, durationSec: 1, background: { color: '#203040' }, layers });
const nameLayer = { layerName: 'name', type: 'text', text: 'placeholder', fontSize: 18, color: '#ffee00', x: 'center', y: 'center' };
const greeting = { name: 'Greeting', driver: 'builtin', compositions: { main: composition([nameLayer]) } };
const named = (templateId: string, value: string) => ({
  type: 'job' as const,
  template: { id: templateId, composition: 'main' },
  assets: [{ type: 'data', layerName: 'name', property: 'Source Text', value }],
});

/** The distinct statuses a job went through, in order, from its log. */
async function statusHistory(api: ApiClient, id: string): Promise<string[]> {
  const { body } = await api.get(`/jobs/${id}/logs`);
  const statuses = [...String(body).matchAll(/ \[([a-z:_]+)\] /g)].map((m) => m[1]);
  return statuses.filter((status, i) => status !== statuses[i - 1]);
}

async function download(url: string, dir: string, name: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const path = join(dir, name);
  await writeFile(path, Buffer.from(await res.arrayBuffer()));
  return path;
}

const durationOf = async (path: string) => Number((await ffprobeJson(path)).format.duration);
/** The picture's length: the stitcher cuts each clip to its video (the shared clip's audio runs 56 ms longer). */
const videoDurationOf = async (path: string) => Number((await ffprobeJson(path)).streams.find((s) => s.codec_type === 'video')?.duration);

describe('rendered clips: templates, render jobs, job assets, nested jobs', () => {
  const kafka = testKafka();
  let media: MediaServer;
  let api: ApiClient;
  let work: string;
  let greetingId: string;
  let tenantId: string;

  beforeAll(async () => {
    await ensureServices();
    work = await mkdtemp(join(tmpdir(), 'vrs-render-e2e-'));
    const served = join(work, 'served');
    await mkdir(served);
    await copyFile(join(SAMPLE_MEDIA, 'video.mp4'), join(served, 'video.mp4'));
    media = await serveDirectory(served);
    await writeFile(join(served, 'farm-greeting.json'), JSON.stringify({ ...greeting, name: 'Farm greeting' }));
    const tenant = await createTenant('render-e2e');
    tenantId = tenant.id;
    api = apiClient(tenant.token);
    const created = await api.post('/templates', greeting);
    expect(created.status).toBe(201);
    greetingId = created.body.id;
  });

  afterAll(async () => {
    await media?.close();
  });

  it('keeps templates per tenant and rejects invalid ones with field details', async () => {
    const invalid = await api.post('/templates', { name: 'Bad', driver: 'builtin', compositions: { main: { ...composition([]), width: 161 } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual(expect.arrayContaining([{ field: 'compositions.main.width', message: expect.stringContaining('even') }]));

    expect((await api.get(`/templates/${greetingId}`)).body).toMatchObject({ id: greetingId, name: 'Greeting', compositions: ['main'], template: greeting });
    expect((await api.get('/templates')).body.templates.map((t: { id: string }) => t.id)).toContain(greetingId);
    const other = apiClient((await createTenant('render-e2e-other')).token);
    expect((await other.get(`/templates/${greetingId}`)).status).toBe(404);
    expect((await other.delete(`/templates/${greetingId}`)).status).toBe(404);
    expect((await other.post('/jobs', { template: { id: greetingId, composition: 'main' } })).status).toBe(400);

    const doomed = await api.post('/templates', greeting);
    expect((await api.delete(`/templates/${doomed.body.id}`)).status).toBe(204);
    expect((await api.get(`/templates/${doomed.body.id}`)).status).toBe(404);
  });

  it('answers 400 at submit for an unknown template, composition or layer', async () => {
    const res = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('video.mp4') },
        { ...named(greetingId, 'x'), template: { id: greetingId, composition: 'outro' } },
        named('no-such-template', 'x'),
        { ...named(greetingId, 'x'), assets: [{ type: 'data', layerName: 'surname', property: 'Source Text', value: 'x' }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'assets[1].template.composition', message: 'unknown composition "outro"; the template has "main"' },
      { field: 'assets[2].template.id', message: expect.stringContaining('unknown template "no-such-template"') },
      { field: 'assets[3].assets[0].layerName', message: 'composition "main" has no layer "surname"' },
    ]);
  });

  it('renders a personalised middle between two videos: pending → render:dorender → finished', async () => {
    const submit = (name: string) =>
      api.post('/jobs/join', {
        assets: [{ type: 'video', src: media.url('video.mp4') }, named(greetingId, name), { type: 'video', src: media.url('video.mp4') }],
      });
    const [ada, bob] = await Promise.all([submit('Ada Lovelace'), submit('Bob')]);
    expect(ada.status).toBe(201);
    expect(ada.body).toMatchObject({ status: 'pending', children: [{ id: childJobId(ada.body.id, 1), status: 'queued', outputUrl: expect.any(String) }] });
    const [adaJob, bobJob] = await Promise.all([api.waitForEnd(ada.body.id), api.waitForEnd(bob.body.id)]);
    expect(adaJob).toMatchObject({ status: 'finished', progress: 100, children: [{ id: childJobId(ada.body.id, 1), status: 'finished' }] });
    expect(bobJob.status).toBe('finished');
    expect(await statusHistory(api, ada.body.id)).toEqual(['pending', 'render:dorender', 'finished']);

    const child = await api.get(`/jobs/${childJobId(ada.body.id, 1)}`);
    expect(child.body).toMatchObject({ type: 'render', status: 'finished', parentId: ada.body.id });

    const intro = await videoDurationOf(join(SAMPLE_MEDIA, 'video.mp4'));
    const adaPath = await download(adaJob.outputUrl, work, 'ada.mp4');
    const bobPath = await download(bobJob.outputUrl, work, 'bob.mp4');
    expect(Math.abs((await durationOf(adaPath)) - (2 * intro + 1))).toBeLessThan(0.05);

    const png = join(work, 'middle-ada.png');
    const middleAda = await grabFrameRgb(adaPath, intro + 0.5, work, png);
    process.stdout.write(`middle frame of the personalised join: ${png}\n`);
    const middleBob = await grabFrameRgb(bobPath, intro + 0.5, work);
    expect(differingShare(middleAda, middleBob)).toBeGreaterThan(0.002);
    // The intros are the same video: the names are what differs.
    expect(differingShare(await grabFrameRgb(adaPath, intro / 2, work), await grabFrameRgb(bobPath, intro / 2, work))).toBeLessThan(0.001);
  });

  it('stitches a rendered middle while the gateway is down (SIGKILL): the child is read from storage, not through the gateway', async () => {
    const from = await topicEnd(kafka, TOPICS.stitchCompleted);
    const jobId = `gateway-down-${randomUUID().slice(0, 12)}`;
    const video = { type: 'video', src: media.url('video.mp4') };
    await killService('gateway');
    try {
      // With the gateway dead the job comes in over Kafka, as from another system, and is rendered and stitched.
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: TOPICS.joinRequested,
        messages: [{ key: jobId, value: JSON.stringify({ schemaVersion: 1, jobId, tenantId, assets: [video, named(greetingId, 'Offline'), video] }) }],
      });
      await producer.disconnect();
      const [completed] = await readTopic(kafka, TOPICS.stitchCompleted, from, (m) => m.key === jobId, 1, 120_000);
      expect(JSON.parse(completed.value).outputKey).toBe(`${jobId}.mp4`);
    } finally {
      await ensureServices();
    }
    const job = await api.waitForEnd(jobId);
    expect(job).toMatchObject({ status: 'finished', children: [{ id: childJobId(jobId, 1), status: 'finished' }] });
    const intro = await videoDurationOf(join(SAMPLE_MEDIA, 'video.mp4'));
    expect(Math.abs((await durationOf(await download(job.outputUrl, work, 'gateway-down.mp4'))) - (2 * intro + 1))).toBeLessThan(0.05);
  }, 180_000);

  it('renders a nested job first and uses its output as the layer footage', async () => {
    const framed = await api.post('/templates', {
      name: 'Framed',
      driver: 'builtin',
      compositions: { main: composition([{ layerName: 'clip', type: 'video', src: media.url('video.mp4'), x: 40, y: 20, width: 80, height: 46 }]) },
    });
    const res = await api.post('/jobs', {
      template: { id: framed.body.id, composition: 'main' },
      assets: [{ ...named(greetingId, 'Inner'), layerName: 'clip' }],
    });
    expect(res.body).toMatchObject({ status: 'pending', children: [{ id: childJobId(res.body.id, 0) }] });
    const job = await api.waitForEnd(res.body.id);
    expect(job).toMatchObject({ type: 'render', status: 'finished', children: [{ id: childJobId(res.body.id, 0), status: 'finished' }] });
    expect(await statusHistory(api, res.body.id)).toEqual(['pending', 'render:dorender', 'finished']);
  });

  it('fails the parent naming the child whose template cannot render', async () => {
    const broken = await api.post('/templates', {
      name: 'Broken',
      driver: 'builtin',
      compositions: { main: composition([nameLayer, { layerName: 'logo', type: 'image', src: media.url('missing.png') }]) },
    });
    const res = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }, named(broken.body.id, 'x'), named(greetingId, 'ok')] });
    expect(res.status).toBe(201);
    const job = await api.waitForEnd(res.body.id);
    expect(job.status).toBe('error');
    expect(job.stats.error).toContain(`child job ${childJobId(res.body.id, 1)} (assets[1]) failed`);
    expect(job.stats.error).toContain('layers[1].src');
    expect((await api.get(`/jobs/${childJobId(res.body.id, 1)}`)).body.status).toBe('error');
  });

  it("names the caller's own assets[0].src, not the template's layer, when a child's injected media answers 404", async () => {
    const framed = await api.post('/templates', {
      name: 'Framed, media missing',
      driver: 'builtin',
      compositions: { main: composition([{ layerName: 'clip', type: 'video', src: media.url('video.mp4'), x: 40, y: 20, width: 80, height: 46 }]) },
    });
    const child = {
      type: 'job',
      template: { id: framed.body.id, composition: 'main' },
      assets: [{ type: 'video', layerName: 'clip', src: media.url('missing.mp4') }],
    };
    const res = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }, child] });
    expect(res.status).toBe(201);
    const job = await api.waitForEnd(res.body.id);
    expect(job.status).toBe('error');
    expect(job.stats.error).toContain(`child job ${childJobId(res.body.id, 1)} (assets[1]) failed: The media for assets[0].src cannot be fetched`);
    expect(job.stats.error).not.toContain('layers[0].src');
  });

  describe('with three orchestrator instances', () => {
    const ports = [3011, 3012];

    beforeAll(async () => {
      for (const port of ports) await addInstance('job-orchestrator', port);
    });

    afterAll(async () => {
      for (const port of ports) await stopInstance('job-orchestrator', port);
    });

    it('stitches 20 rendered children exactly once, in order', async () => {
      const from = await topicEnd(kafka, TOPICS.stitchRequested);
      const names = Array.from({ length: 20 }, (_, i) => `Guest ${i + 1}`);
      const res = await api.post('/jobs/join', { assets: names.map((name) => named(greetingId, name)) });
      expect(res.body.children).toHaveLength(20);
      const job = await api.waitForEnd(res.body.id, 180_000);
      expect(job.status).toBe('finished');
      const ids = names.map((_, i) => childJobId(res.body.id, i));
      expect(job.children.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual(ids.map((id) => [id, 'finished']));

      const forJob = (m: { value: string }) => JSON.parse(m.value).jobId === res.body.id;
      const [stitch] = await readTopic(kafka, TOPICS.stitchRequested, from, forJob, 1, 10_000);
      expect(JSON.parse(stitch.value).clips.map((c: { src: string }) => new URL(c.src).pathname)).toEqual(ids.map((id) => `/outputs/${id}.mp4`));
      await expect(readTopic(kafka, TOPICS.stitchRequested, from, forJob, 2, 5_000)).rejects.toThrow('only 1/2');
      expect(Math.abs((await durationOf(await download(job.outputUrl, work, 'twenty.mp4'))) - 20)).toBeLessThan(0.2);
    }, 240_000);
  });

  describe('through the nexrender driver', () => {
    let server: Server;
    let worker: FfmpegTestWorker;

    beforeAll(async () => {
      // The real @nexrender/server on the address the render-adapter is configured with; it logs every request.
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      process.env.NEXRENDER_DATABASE = join(work, 'nexrender-database.json');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped package, loaded after the env is set
      const { listen } = require('@nexrender/server') as { listen(port: number, secret: string): Server };
      server = listen(NEXRENDER_PORT, NEXRENDER_SECRET);
      await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
      worker = startFfmpegTestWorker({
        serverUrl: `http://127.0.0.1:${NEXRENDER_PORT}`,
        secret: NEXRENDER_SECRET,
        workRoot: work,
        fetchMedia: fetchOverHttp,
        pollIntervalMs: 100,
      });
    });

    afterAll(async () => {
      await worker?.stop();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      jest.restoreAllMocks();
    });

    it('renders the same template on the farm as the built-in renderer does', async () => {
      const farm = await api.post('/templates', {
        ...greeting,
        name: 'Farm greeting',
        driver: 'nexrender',
        nexrender: { templateSrc: media.url('farm-greeting.json') },
      });
      expect(farm.status).toBe(201);
      const body = (templateId: string) => ({ template: { id: templateId, composition: 'main' }, assets: named(templateId, 'Farm').assets });
      const [viaFarm, viaBuiltin] = await Promise.all([api.post('/jobs', body(farm.body.id)), api.post('/jobs', body(greetingId))]);
      const [farmJob, builtinJob] = await Promise.all([api.waitForEnd(viaFarm.body.id), api.waitForEnd(viaBuiltin.body.id)]);
      expect(farmJob).toMatchObject({ status: 'finished', progress: 100 });
      expect(builtinJob.status).toBe('finished');
      const farmPath = await download(farmJob.outputUrl, work, 'farm.mp4');
      const builtinPath = await download(builtinJob.outputUrl, work, 'builtin.mp4');
      expect(Math.abs((await durationOf(farmPath)) - 1)).toBeLessThan(0.1);
      expect(differingShare(await grabFrameRgb(farmPath, 0.5, work), await grabFrameRgb(builtinPath, 0.5, work))).toBeLessThan(0.01);
    });
  });
});
