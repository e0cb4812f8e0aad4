import { outputSettings } from '@vrs/contracts';
import { probedClip } from '../../test/media-info';
import { planClip } from './clip-plan';
import { MediaInfo } from './media-info';
import { normaliseOutputOptions } from './normalise-clip';
import { DEFAULT_OUTPUT_TARGET, outputTargetFor, resolveTarget } from './output-target';

/** A 1080p25 clip. */
const clip = (video: Partial<MediaInfo['video']> = {}) =>
  probedClip({ width: 1920, height: 1080, fps: { num: 25, den: 1 }, avgFps: { num: 25, den: 1 }, timeBase: { num: 1, den: 12800 }, frameCount: 250, ...video });
const target = (output: unknown, first = clip()) => resolveTarget(first, outputTargetFor(outputSettings.parse(output)));

describe('settings.output as a stitch target (pure)', () => {
  it('changes nothing without output settings', () => {
    expect(outputTargetFor(undefined)).toEqual({});
    expect(resolveTarget(clip(), outputTargetFor(undefined))).toEqual(resolveTarget(clip()));
  });

  it('maps quality to CRF and preset per codec; standard H.264 is the plain join encoding; crf is taken as given', () => {
    expect(outputTargetFor(outputSettings.parse({ quality: 'standard' }))).toMatchObject({
      videoCrf: DEFAULT_OUTPUT_TARGET.videoCrf,
      videoPreset: DEFAULT_OUTPUT_TARGET.videoPreset,
    });
    expect(outputTargetFor(outputSettings.parse({ quality: 'draft' }))).toMatchObject({ codec: 'h264', videoCrf: 28, videoPreset: 'superfast' });
    expect(outputTargetFor(outputSettings.parse({ codec: 'h265', quality: 'high' }))).toMatchObject({ codec: 'h265', videoCrf: 22, videoPreset: 'fast' });
    expect(outputTargetFor(outputSettings.parse({ codec: 'h265', crf: 30 }))).toMatchObject({ videoCrf: 30, videoPreset: 'veryfast' });
    expect(outputTargetFor(outputSettings.parse({ audioBitrate: 96 }))).toMatchObject({ audioBitrate: 96 });
  });

  it.each([
    [{ width: 720, height: 1280 }, 720, 1280],
    [{ aspect: '9:16' }, 1080, 1920],
    [{ aspect: '1:1' }, 1080, 1080],
    [{ aspect: '4:5' }, 1080, 1350],
    [{ aspect: '16:9' }, 1920, 1080],
    [{ aspect: '9:16', width: 720 }, 720, 1280],
    [{ aspect: '1:1', height: 480 }, 480, 480],
    [{ width: 1280 }, 1280, 720],
    [{ height: 360 }, 640, 360],
  ])('sizes %j from a 1920x1080 first clip as %ix%i', (output, width, height) => {
    expect(target(output)).toMatchObject({ width, height });
  });

  it("keeps a portrait first clip's shorter side for an aspect, and a 4K one within the caps", () => {
    expect(target({ aspect: '16:9' }, clip({ width: 1080, height: 1920 }))).toMatchObject({ width: 1920, height: 1080 });
    expect(target({ aspect: '9:16' }, clip({ width: 3840, height: 2160 }))).toMatchObject({ width: 1080, height: 1920 });
    expect(
      resolveTarget(clip({ width: 3840, height: 2160 }), { ...outputTargetFor(outputSettings.parse({ aspect: '9:16' })), maxWidth: 3840, maxHeight: 2160 }),
    ).toMatchObject({ width: 1216, height: 2160 });
  });

  it('places a 16:9 clip in a 9:16 frame by fit: bars, crop or stretch', () => {
    expect(planClip(clip(), target({ aspect: '9:16' })).placement).toEqual({ width: 1080, height: 608, x: 0, y: 656 });
    expect(planClip(clip(), target({ aspect: '9:16', fit: 'cover' })).placement).toEqual({ width: 3414, height: 1920, x: -1166, y: 0 });
    expect(planClip(clip(), target({ aspect: '9:16', fit: 'stretch' })).placement).toEqual({ width: 1080, height: 1920, x: 0, y: 0 });
  });

  it('crops a covering picture instead of padding it, and encodes H.265 tagged hvc1', () => {
    const cover = target({ aspect: '9:16', fit: 'cover' });
    const vf = (options: string[]) => options[options.indexOf('-vf') + 1];
    expect(vf(normaliseOutputOptions(clip(), planClip(clip(), cover), cover, 2))).toContain(
      'scale=3414:1920:flags=bicubic,setsar=1,crop=1080:1920:1166:0,format=yuv420p',
    );
    const contain = target({ aspect: '9:16' });
    expect(vf(normaliseOutputOptions(clip(), planClip(clip(), contain), contain, 2))).toContain(
      'scale=1080:608:flags=bicubic,setsar=1,pad=1080:1920:0:656:black',
    );
    const hevc = target({ codec: 'h265', quality: 'draft', audioBitrate: 128 });
    const options = normaliseOutputOptions(clip(), planClip(clip(), hevc), hevc, 2).join(' ');
    expect(options).toContain('-c:v libx265 -profile:v main -preset ultrafast -crf 32');
    expect(options).toContain('-tag:v hvc1');
    expect(options).toContain('-b:a 128k');
  });

  it('copies only clips already in the requested codec, size and frame rate', () => {
    const hevcClip = clip({ codec: 'hevc', profile: 'Main' });
    expect(planClip(hevcClip, target({ codec: 'h265' }))).toMatchObject({ action: 'copy', reasons: [] });
    expect(planClip(clip(), target({ codec: 'h265' })).reasons).toEqual(['codec h264 (needs H.265)']);
    expect(planClip(clip({ codec: 'hevc', profile: 'Main 10' }), target({ codec: 'h265' })).reasons).toEqual(['H.265 profile Main 10 (needs Main)']);
    expect(planClip(hevcClip, target({})).reasons).toEqual(['codec hevc (needs H.264)']);
    expect(planClip(clip(), target({ fps: 25, width: 1920, height: 1080 })).action).toBe('copy');
    expect(planClip(clip(), target({ fps: 30 })).reasons).toEqual(['frame rate 25 (needs 30)']);
  });
});
