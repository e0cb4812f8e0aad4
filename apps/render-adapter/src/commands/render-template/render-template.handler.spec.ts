import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, type RenderRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { OutboundError } from '@vrs/net';
import type { FetchMedia, RenderDriver } from '@vrs/render';
import type { JobOutputs } from '@vrs/service-kit';
import { inlineLongWork, recordingOutbox } from '@vrs/testing';
import type { MediaFetch } from '../../application/ports/media-fetch.port';
import type { TemplateReplica } from '../../application/ports/template-replica.port';
import { RenderTemplateHandler } from './render-template.handler';

const template = {
  name: 'framed',
  driver: 'builtin',
  compositions: {
    main: {
      width: 320,
      height: 180,
      fps: 25,
      durationSec: 1,
      layers: [
        { layerName: 'title', type: 'text', text: 'hi' },
        { layerName: 'clip', type: 'video', src: 'https://templates.example/placeholder.mp4' },
      ],
    },
  },
};
const request = (overrides: Partial<RenderRequested> = {}): RenderRequested => ({
  eventId: randomUUID(),
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  jobId: 'parent-1-c0',
  parentId: 'parent-1',
  tenantId: 't',
  template: { id: 'tpl-1', composition: 'main' },
  assets: [{ type: 'video', layerName: 'clip', src: 'https://user.example/mine.mp4' }],
  outputKey: 'parent-1-c0.mp4',
  ...overrides,
});

/** The ports in memory; the built-in driver stands in as one that reads every media file and reports progress. */
function fakes(dir: string, options: { templates?: Record<string, unknown>; fetch?: FetchMedia; drivers?: string[] } = {}) {
  const calls: string[] = [];
  const outbox = recordingOutbox();
  const longWork = inlineLongWork(dir);
  const templates: TemplateReplica = {
    apply: async () => undefined,
    find: async (_tenantId, id) => (options.templates ?? { 'tpl-1': template })[id],
  };
  const fetch: FetchMedia =
    options.fetch ??
    (async (url, destPath) => {
      calls.push(`fetch ${url}`);
      await writeFile(destPath, url);
    });
  const media: MediaFetch = { fetcherFor: () => fetch };
  const driver = (name: string): RenderDriver => ({
    name,
    render: async (req, ctx) => {
      for (const layer of req.composition.layers) if (layer.type !== 'text') await req.fetchMedia(layer.src, join(ctx.workDir, `${layer.layerName}.media`));
      ctx.onProgress(0.5);
      calls.push(`render ${req.templateName}/${req.compositionName} with ${name}`);
      return { outputPath: join(ctx.workDir, 'output.mp4'), durationSec: 1 };
    },
  });
  const names = options.drivers ?? ['builtin'];
  const outputs: JobOutputs = {
    store: async (key, path) => {
      calls.push(`store ${path} as ${key}`);
    },
    pushToCaller: async (_path, spec, jobId) => `https://${spec.params.bucket}.example/${jobId}.mp4`,
  };
  const handler = new RenderTemplateHandler(longWork, templates, { for: (name) => (names.includes(name) ? driver(name) : undefined) }, media, outputs, outbox, {
    TEMPLATE_WAIT_MS: 0,
  });
  return { handler, calls, published: outbox.published, work: {} as UnitOfWork };
}

describe('RenderTemplateHandler (fake ports)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'render-handler-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("renders with the template's driver, the caller's media fetched first, stores the output and reports child.finished", async () => {
    const { handler, calls, published, work } = fakes(dir);
    await handler.handle(request(), work);
    expect(calls).toEqual(['fetch https://user.example/mine.mp4', 'render framed/main with builtin', `store ${dir}/output.mp4 as parent-1-c0.mp4`]);
    expect(published).toEqual([
      { topic: TOPICS.renderProgress, key: 'parent-1-c0', body: { jobId: 'parent-1-c0', parentId: 'parent-1', fraction: 0.5 } },
      { topic: TOPICS.childFinished, key: 'parent-1-c0', body: { jobId: 'parent-1-c0', parentId: 'parent-1', outputKey: 'parent-1-c0.mp4', durationSec: 1 } },
    ]);
  });

  it("fails a child whose media answers 404 naming the caller's assets[0].src, not the template's layer", async () => {
    const missing = async (url: string) => {
      throw new OutboundError('http_status', `GET ${url} answered 404`, { status: 404 });
    };
    const { handler, calls, published, work } = fakes(dir, { fetch: missing });
    await handler.handle(request(), work);
    expect(calls).toEqual([]);
    expect(published).toEqual([
      {
        topic: TOPICS.childFailed,
        key: 'parent-1-c0',
        body: {
          jobId: 'parent-1-c0',
          parentId: 'parent-1',
          reason: 'The media for assets[0].src cannot be fetched: GET https://user.example/mine.mp4 answered 404',
          details: [{ field: 'assets[0].src', message: 'GET https://user.example/mine.mp4 answered 404' }],
        },
      },
    ]);
  });

  it("names the template's own layer when the failing media is the template's", async () => {
    const missing = async (url: string) => {
      throw new OutboundError('http_status', `GET ${url} answered 404`, { status: 404 });
    };
    const { handler, published, work } = fakes(dir, { fetch: missing });
    await handler.handle(request({ assets: [] }), work);
    expect(published[0].body.details).toEqual([
      { field: 'template layer "clip" (layers[1].src)', message: 'GET https://templates.example/placeholder.mp4 answered 404' },
    ]);
  });

  it('fails naming template.id when the template never arrives, and the driver when the deployment lacks it', async () => {
    const unknown = fakes(dir, { templates: {} });
    await unknown.handler.handle(request(), unknown.work);
    expect(unknown.published.map((e) => [e.topic, e.body.reason, e.body.details])).toEqual([
      [TOPICS.childFailed, 'template "tpl-1" does not exist (or was deleted)', [{ field: 'template.id', message: 'unknown template' }]],
    ]);
    const farm = fakes(dir, { templates: { 'tpl-1': { ...template, driver: 'nexrender', nexrender: { templateSrc: 'https://farm.example/framed.aep' } } } });
    await farm.handler.handle(request(), farm.work);
    expect(farm.published.map((e) => [e.topic, e.body.reason])).toEqual([
      [TOPICS.childFailed, 'template "framed" needs the nexrender renderer, which this deployment does not have configured'],
    ]);
  });

  it("pushes the output to the caller's bucket and reports where", async () => {
    const { handler, published, work } = fakes(dir);
    const upload = { provider: 's3' as const, params: { region: 'eu-west-1', bucket: 'callers-bucket', accessKeyId: 'id', accessKeySecret: 'enc:v1:sealed' } };
    await handler.handle(request({ parentId: null, upload }), work);
    expect(published.at(-1)).toMatchObject({ topic: TOPICS.childFinished, body: { uploadedUrl: 'https://callers-bucket.example/parent-1-c0.mp4' } });
  });
});
