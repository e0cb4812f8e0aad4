import { probedClip } from '../../test/media-info';
import { audioFilterGraph, audioSegments } from './audio-graph';
import { planClip } from './clip-plan';
import { concatList } from './concat-list';
import { MediaInfo } from './media-info';
import { resolveTarget } from './output-target';

const clip = probedClip;

describe('resolveTarget (pure)', () => {
  it('takes size, frame rate and time scale from the first clip', () => {
    expect(resolveTarget(clip())).toMatchObject({ width: 1280, height: 720, frameRate: { num: 30, den: 1 }, timescale: 15360 });
  });
  it('uses the display size: pixel aspect widens, a quarter turn swaps', () => {
    expect(resolveTarget(clip({ width: 640, height: 360, sar: { num: 2, den: 1 } }))).toMatchObject({ width: 1280, height: 360 });
    expect(resolveTarget(clip({ rotation: 90 }))).toMatchObject({ width: 608, height: 1080 });
  });
  it('caps the size keeping the aspect, and honours explicit settings', () => {
    expect(resolveTarget(clip({ width: 3840, height: 2160 }))).toMatchObject({ width: 1920, height: 1080 });
    expect(resolveTarget(clip({ width: 1080, height: 1920 }))).toMatchObject({ width: 608, height: 1080 });
    expect(resolveTarget(clip(), { width: 641, height: 480, fps: 29.97 })).toMatchObject({ width: 642, height: 480, frameRate: { num: 30000, den: 1001 } });
  });
  it('snaps a variable frame rate to the nearest common rate and picks a time scale that holds it', () => {
    const target = resolveTarget(clip({ fps: { num: 90000, den: 1 }, avgFps: { num: 2997, den: 100 }, timeBase: { num: 1, den: 90000 } }));
    expect(target.frameRate).toEqual({ num: 30000, den: 1001 });
    expect(target.timescale).toBe(90000);
    expect(resolveTarget(clip({ timeBase: { num: 1, den: 1000 } })).timescale).toBe(15360);
  });
});

describe('planClip (pure)', () => {
  const target = resolveTarget(clip());
  it('copies a clip that matches the target, whatever its audio', () => {
    expect(planClip(clip({}, { audio: undefined }), target)).toMatchObject({ action: 'copy', reasons: [] });
    expect(planClip(clip({}, { audio: { index: 1, codec: 'opus', sampleRate: 44100, channels: 6, startSec: 0, durationSec: 9 } }), target).action).toBe('copy');
  });
  it.each([
    [{ codec: 'hevc' }, /codec hevc/],
    [{ profile: 'Main' }, /profile Main/],
    [{ pixFmt: 'yuvj420p' }, /pixel format yuvj420p/],
    [{ width: 1920, height: 1080 }, /size 1920x1080/],
    [{ sar: { num: 4, den: 3 } }, /pixel aspect 4:3/],
    [{ rotation: 270 }, /rotated 270/],
    [{ fps: { num: 25, den: 1 }, avgFps: { num: 25, den: 1 } }, /frame rate 25 \(needs 30\)/],
    [{ avgFps: { num: 2400, den: 100 } }, /variable frame rate/],
    [{ frameCount: 320 }, /edit list/],
    [{ timeBase: { num: 1, den: 1000 } }, /time base 1\/1000/],
    [{ index: 1 }, /not the first stream/],
    [{ startSec: 0.5 }, /starts after/],
  ])('normalises a clip with %o', (video, reason) => {
    const plan = planClip(clip(video as Partial<MediaInfo['video']>), target);
    expect(plan.action).toBe('normalise');
    expect(plan.reasons.join('; ')).toMatch(reason);
  });
  it('normalises another container and letterboxes a wider picture, pillarboxes a portrait one', () => {
    expect(planClip(clip({}, { formatName: 'matroska,webm' }), target).reasons).toEqual(['container matroska,webm (needs MP4)']);
    expect(planClip(clip({ width: 1920, height: 800 }), target).placement).toEqual({ width: 1280, height: 534, x: 0, y: 92 });
    expect(planClip(clip({ rotation: 90 }), target).placement).toEqual({ width: 406, height: 720, x: 436, y: 0 });
  });
});

describe('audio timeline (pure)', () => {
  it('splits samples by the running end time so rounding never accumulates', () => {
    const clips = Array.from({ length: 3 }, () => clip());
    const segments = audioSegments(clips, [1 / 3, 1 / 3, 1 / 3], 48000, 1);
    expect(segments.map((s) => s.samples)).toEqual([16000, 16000, 16000]);
    const odd = audioSegments(clips, [0.04, 0.04, 0.04], 44100, 1);
    expect(odd.reduce((sum, s) => sum + s.samples, 0)).toBe(Math.round(0.12 * 44100));
  });
  it('numbers only clips with audio as inputs and makes silence for the rest', () => {
    const segments = audioSegments([clip({}, { audio: undefined }), clip()], [2, 2], 48000, 1);
    expect(segments.map((s) => s.input)).toEqual([undefined, 1]);
    const graph = audioFilterGraph(segments, 48000, 2, 'out');
    expect(graph).toContain('anullsrc=r=48000:cl=stereo,atrim=end_sample=96000');
    expect(graph).toContain('[1:a:0]aresample=48000:async=1');
    expect(graph).toMatch(/\[a0\]\[a1\]concat=n=2:v=0:a=1\[out\]$/);
  });
  it('drops audio that precedes a late-starting picture', () => {
    const late = clip({ startSec: 1.5 }, { startSec: 1.4 });
    expect(audioFilterGraph(audioSegments([late], [2], 48000, 1), 48000, 2, 'out')).toContain('atrim=start=0.100000,asetpts=PTS-0.100000/TB');
  });
});

describe('concatList (pure)', () => {
  it('states each duration and quotes paths safely', () => {
    expect(concatList([{ path: "/w/it's.mp4", durationSec: 2 }])).toBe("ffconcat version 1.0\nfile '/w/it'\\''s.mp4'\nduration 2.000000\n");
  });
});
