import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputFacts, SAMPLE_MEDIA, videoSeconds } from '../../test/media-fixtures';
import { stitchClips } from './stitch-clips';

const clip = (name: string) => join(SAMPLE_MEDIA, name);

/** Files recorded by real encoders: anamorphic, rotated-free VP9 webm, edit lists, 44.1 kHz, silent clips. */
describe('stitchClips with real-world clips (real ffmpeg, test/fixtures/media)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const orders: Array<[string, string[], { width: number; height: number }]> = [
    ['normal clip first', ['video.mp4', 'sar_2x1.mp4', 'frames.webm', 'edts.mp4'], { width: 1920, height: 1080 }],
    ['silent anamorphic clip first', ['sar_2x1.mp4', 'edts.mp4', 'video.mp4', 'frames.webm'], { width: 1280, height: 360 }],
    ['square VP9 first', ['frames.webm', 'edts.mp4', 'sar_2x1.mp4', 'video.mp4'], { width: 1080, height: 1080 }],
  ];

  it.each(orders)('joins all four with the %s into one verified MP4', async (_, names, size) => {
    const inputs = names.map(clip);
    const outputPath = join(dir, `${names[0]}.mp4`);
    // A small cap and a fast preset keep this 2-core test quick; sizes scale down proportionally.
    const report = await stitchClips({
      inputs,
      outputPath,
      workDir: dir,
      concurrency: 2,
      target: { maxWidth: size.width / 2, maxHeight: size.height / 2, videoPreset: 'superfast' },
    });
    const facts = await outputFacts(outputPath);
    const inputSec = (await Promise.all(inputs.map(videoSeconds))).reduce((s, d) => s + d, 0);
    expect(facts).toMatchObject({
      videoStreams: 1,
      audioStreams: 1,
      width: size.width / 2,
      height: size.height / 2,
      nonMonotonicStreams: 0,
      moovBeforeMdat: true,
    });
    expect(Math.abs(facts.videoSec - inputSec)).toBeLessThanOrEqual(3 / report.fps + 1e-3);
    expect(Math.abs(facts.audioSec - facts.videoSec)).toBeLessThanOrEqual(0.1);
    expect(report.clips.every((c) => c.action === 'normalise')).toBe(true);
    expect(report.fps).toBe(names[0] === 'video.mp4' ? 25 : 30);
  });
});
