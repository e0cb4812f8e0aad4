import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeJson, runFfmpeg } from '@vrs/media';
import { buildRenderRequest, RenderJobInput } from '../driver/build-render-request';
import type { RenderResult } from '../driver/render-driver';
import { parseTemplate } from '../template/validate-template';
import {
  differingShare,
  fetchOverHttp,
  FixtureServer,
  grabFrameRgb,
  introTemplate,
  makeSampleMedia,
  startFixtureServer,
  tempDir,
} from '../testing/spec-support';
import { createBuiltinDriver } from './builtin-driver';
import { UnusableMediaError } from './local-media';

const greeting = parseTemplate(
  introTemplate({
    background: { color: '#203040' },
    layers: [
      {
        layerName: 'name',
        type: 'text',
        text: 'placeholder',
        font: 'DejaVu Sans Bold',
        fontSize: 40,
        color: '#ffcc00',
        x: 'center',
        y: 'center',
        start: 0.5,
        fadeInSec: 0.2,
      },
    ],
  }),
);

const driver = createBuiltinDriver();
let root: string;

beforeAll(async () => {
  root = await tempDir('builtin');
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function render(job: RenderJobInput, template = greeting, progress: number[] = []): Promise<RenderResult> {
  const workDir = join(root, `job-${Math.random().toString(36).slice(2)}`);
  await mkdir(workDir);
  const request = buildRenderRequest(template, job, fetchOverHttp);
  return driver.render(request, { workDir, signal: new AbortController().signal, onProgress: (f) => progress.push(f) });
}

const named = (value: string, extra: Partial<RenderJobInput> = {}): RenderJobInput => ({
  compositionName: 'intro',
  assets: [{ type: 'data', layerName: 'name', property: 'Source Text', value }],
  ...extra,
});

describe('builtin driver', () => {
  it('renders the composition with the injected name: exact length, size, H.264 + AAC, faststart', async () => {
    const progress: number[] = [];
    const ada = await render(named('Ada Lovelace'), greeting, progress);
    const probe = await ffprobeJson(ada.outputPath);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 320, height: 180, pix_fmt: 'yuv420p', nb_frames: 50, r_frame_rate: '25/1' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: 48000, channels: 2, channel_layout: 'stereo' });
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
    expect(ada.durationSec).toBe(2);
    expect(progress[progress.length - 1]).toBe(1);

    const bytes = await readFile(ada.outputPath);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));

    const grace = await render(named('Grace Hopper'));
    const pngPath = join(tmpdir(), 'vrs-render-builtin-ada-lovelace.png');
    const adaFrame = await grabFrameRgb(ada.outputPath, 1, root, pngPath);
    const graceFrame = await grabFrameRgb(grace.outputPath, 1, root);
    process.stdout.write(`builtin render frame grab (t=1 s, "Ada Lovelace"): ${pngPath}\n`);
    expect(differingShare(adaFrame, graceFrame)).toBeGreaterThan(0.01);
    // Before the text appears (0.5 s) both renders show only the background.
    expect(differingShare(await grabFrameRgb(ada.outputPath, 0.2, root), await grabFrameRgb(grace.outputPath, 0.2, root))).toBe(0);
    // The text is drawn in its colour (#ffcc00) on the #203040 background.
    expect(countPixels(adaFrame, [0xff, 0xcc, 0x00])).toBeGreaterThan(200);
    expect(countPixels(await grabFrameRgb(ada.outputPath, 0.2, root), [0xff, 0xcc, 0x00])).toBe(0);
  });

  it('renders a preview at half size', async () => {
    const result = await render({ ...named('Ada'), preview: true });
    const video = (await ffprobeJson(result.outputPath)).streams.find((s) => s.codec_type === 'video');
    expect(video).toMatchObject({ width: 160, height: 90, nb_frames: 50 });
  });

  it('renders only the requested frames', async () => {
    const range = await render(named('Ada', { settings: { frames: [10, 19] } }));
    const rangeProbe = await ffprobeJson(range.outputPath);
    expect(rangeProbe.streams.find((s) => s.codec_type === 'video')?.nb_frames).toBe(10);
    expect(Number(rangeProbe.format.duration)).toBeCloseTo(0.4, 1);
    expect(range.durationSec).toBeCloseTo(0.4, 5);
    // Frame 10 of the range render is frame 19 (0.76 s) of the whole composition.
    const whole = await render(named('Ada'));
    const lastOfRange = await grabFrameRgb(range.outputPath, 9 / 25, root);
    expect(differingShare(lastOfRange, await grabFrameRgb(whole.outputPath, 19 / 25, root))).toBeLessThan(0.01);
    expect(differingShare(lastOfRange, await grabFrameRgb(whole.outputPath, 12 / 25, root))).toBeGreaterThan(0.001);

    const single = await render(named('Ada', { settings: { frames: 30 } }));
    expect((await ffprobeJson(single.outputPath)).streams.find((s) => s.codec_type === 'video')?.nb_frames).toBe(1);
  });

  it('encodes H.265 in MP4 (tagged hvc1) with AAC, like every output a join may stitch', async () => {
    const rendered = await render(named('Ada', { settings: { codec: 'h265', quality: 'draft', frames: [0, 4] } }));
    expect(rendered.outputPath.endsWith('.mp4')).toBe(true);
    const h265 = await ffprobeJson(rendered.outputPath);
    expect(h265.format.format_name).toContain('mp4');
    expect(h265.streams.map((s) => s.codec_name)).toEqual(['hevc', 'aac']);
    expect(h265.streams[0].codec_tag_string).toBe('hvc1');
  });

  describe('with media from a server', () => {
    let server: FixtureServer;
    beforeAll(async () => {
      server = await startFixtureServer();
      const media = await makeSampleMedia(root);
      server.serveFile('/red.png', media.png);
      server.serveFile('/clip.mp4', media.mp4WithTone);
      server.serveFile('/tone.wav', media.wav);
      server.serve('/page.png', '<html>not an image</html>');
    });
    afterAll(() => server.close());

    const collage = () =>
      parseTemplate({
        name: 'Collage',
        driver: 'builtin',
        compositions: {
          main: {
            width: 320,
            height: 180,
            fps: 25,
            durationSec: 2,
            background: { image: server.url('/red.png') },
            layers: [
              { layerName: 'clip', type: 'video', src: server.url('/clip.mp4'), x: 10, y: 10, width: 128, end: 1 },
              { layerName: 'logo', type: 'image', src: server.url('/red.png'), x: 250, y: 120, start: 1, fadeInSec: 0.5 },
              { layerName: 'music', type: 'audio', src: server.url('/tone.wav'), start: 1, volume: 0.5 },
              // Hostile text: drawn literally, never parsed as filter syntax or expanded.
              { layerName: 'caption', type: 'text', text: "it's: [a],b;c %{pts} \\n ${x}", fontSize: 14, x: 4, y: 150 },
            ],
          },
        },
      });

    it('overlays image and video layers and mixes their audio in time', async () => {
      // A work directory whose path needs filter-graph escaping (quote, colon, comma, brackets).
      const workDir = join(root, "it's: a,b [c];d");
      await mkdir(workDir);
      const request = buildRenderRequest(collage(), { compositionName: 'main' }, fetchOverHttp);
      const result = await driver.render(request, { workDir, signal: new AbortController().signal, onProgress: () => undefined });
      const probe = await ffprobeJson(result.outputPath);
      expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);

      // The video layer sits at (10,10) for the first second: its test pattern is not red there.
      const early = await grabFrameRgb(result.outputPath, 0.5, root);
      const late = await grabFrameRgb(result.outputPath, 1.5, root);
      expect(pixel(early, 320, 50, 40)).not.toEqual(pixel(late, 320, 50, 40));
      expect(isRed(pixel(late, 320, 50, 40))).toBe(true);

      // Audio: the clip's tone in the first second, the wav in the second, never silence.
      const pcm = join(root, 'collage.pcm');
      await runFfmpeg({ inputs: [{ source: result.outputPath }], output: pcm, outputOptions: ['-vn', '-f', 's16le', '-ac', '1', '-ar', '48000'] });
      const samples = await readFile(pcm);
      expect(rms(samples, 0.2, 0.8)).toBeGreaterThan(1000);
      expect(rms(samples, 1.2, 1.8)).toBeGreaterThan(1000);
    });

    it('loops a background video that is shorter than the composition', async () => {
      const template = parseTemplate({
        name: 'Looped',
        driver: 'builtin',
        compositions: { main: { width: 320, height: 180, fps: 25, durationSec: 2.4, background: { color: '#000000', video: server.url('/clip.mp4') } } },
      });
      const workDir = await tempDir('loop');
      const result = await driver.render(buildRenderRequest(template, { compositionName: 'main' }, fetchOverHttp), {
        workDir,
        signal: new AbortController().signal,
        onProgress: () => undefined,
      });
      expect((await ffprobeJson(result.outputPath)).streams[0]).toMatchObject({ nb_frames: 60, width: 320, height: 180 });
      // The 1 s clip plays again from its start at 1 s and 2 s, so those frames match frame 0; t=0.5 s does not.
      const first = await grabFrameRgb(result.outputPath, 0, workDir);
      expect(differingShare(first, await grabFrameRgb(result.outputPath, 1, workDir))).toBeLessThan(0.02);
      expect(differingShare(first, await grabFrameRgb(result.outputPath, 2, workDir))).toBeLessThan(0.02);
      expect(differingShare(first, await grabFrameRgb(result.outputPath, 0.5, workDir))).toBeGreaterThan(0.05);
      await rm(workDir, { recursive: true, force: true });
    });

    it('rejects media that is not what the layer needs', async () => {
      const template = collage();
      const request = buildRenderRequest(
        template,
        { compositionName: 'main', assets: [{ type: 'image', layerName: 'logo', src: server.url('/page.png') }] },
        fetchOverHttp,
      );
      const workDir = await tempDir('unusable');
      await expect(driver.render(request, { workDir, signal: new AbortController().signal, onProgress: () => undefined })).rejects.toThrow(UnusableMediaError);
      await expect(driver.render(request, { workDir, signal: new AbortController().signal, onProgress: () => undefined })).rejects.toMatchObject({
        details: [{ field: 'assets[0].src', message: expect.stringContaining('cannot be read as media') }],
      });
      await rm(workDir, { recursive: true, force: true });
    });
  });
});

function pixel(frame: Buffer, width: number, x: number, y: number): number[] {
  const offset = (y * width + x) * 3;
  return [frame[offset], frame[offset + 1], frame[offset + 2]];
}

const isRed = ([r, g, b]: number[]) => r > 200 && g < 60 && b < 60;

function countPixels(frame: Buffer, [r, g, b]: number[], tolerance = 40): number {
  let count = 0;
  for (let i = 0; i < frame.length; i += 3) {
    if (Math.abs(frame[i] - r) <= tolerance && Math.abs(frame[i + 1] - g) <= tolerance && Math.abs(frame[i + 2] - b) <= tolerance) count++;
  }
  return count;
}

/** Root mean square of 16-bit mono samples between two times. */
function rms(pcm: Buffer, fromSec: number, toSec: number): number {
  let sum = 0;
  const first = Math.floor(fromSec * 48000);
  const last = Math.floor(toSec * 48000);
  for (let i = first; i < last; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return Math.sqrt(sum / (last - first));
}
