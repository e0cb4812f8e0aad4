import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip, SAMPLE_MEDIA } from '../../test/media-fixtures';
import { runFfmpeg } from '../ffmpeg/ffmpeg-runner';
import { MediaError } from './media-error';
import { probeClip, probeMedia } from './probe-media';

describe('probeMedia (real ffprobe)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function expectRejected(path: string, code: MediaError['code'], message: RegExp) {
    const error = await probeClip(path, 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code, clipIndex: 2 });
    expect((error as MediaError).message).toMatch(/^Input clip 3 /);
    expect((error as MediaError).message).toMatch(message);
  }

  it('reads size, pixel aspect, frame rate, edit-listed duration and audio of real clips', async () => {
    const anamorphic = await probeMedia(join(SAMPLE_MEDIA, 'sar_2x1.mp4'));
    expect(anamorphic.video).toMatchObject({ codec: 'h264', width: 640, height: 360, sar: { num: 2, den: 1 }, fps: { num: 30, den: 1 }, durationSec: 5 });
    expect(anamorphic.audio).toBeUndefined();
    const edts = await probeMedia(join(SAMPLE_MEDIA, 'edts.mp4'));
    expect(edts.video.durationSec).toBeCloseTo(9, 3);
    expect(edts.audio).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 2 });
    const webm = await probeMedia(join(SAMPLE_MEDIA, 'frames.webm'));
    expect(webm).toMatchObject({ formatName: 'matroska,webm', video: { codec: 'vp9', width: 1080, height: 1080 } });
    expect(webm.video.durationSec).toBeCloseTo(3.333, 2);
  });

  it('measures a recording that declares no duration anywhere (browser MediaRecorder WebM) by its packets', async () => {
    const live = join(dir, 'recorder.webm');
    await runFfmpeg({
      inputs: [
        { source: 'testsrc2=size=320x240:rate=25:duration=2.4', format: 'lavfi' },
        { source: 'sine=duration=2.4', format: 'lavfi' },
      ],
      output: live,
      outputOptions: ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus', '-f', 'webm', '-live', '1'],
    });
    const info = await probeMedia(live);
    expect(info.video.durationSec).toBeCloseTo(2.4, 1);
    expect(info.audio?.durationSec).toBeCloseTo(2.4, 1);
  });

  it('reads a phone-style rotation as clockwise degrees', async () => {
    const info = await probeMedia(await makeClip(dir, 'rotated', { rotate: true, durationSec: 0.4 }));
    expect(info.video.rotation).toBe(90);
  });

  it('rejects a zero-byte file as empty', async () => {
    writeFileSync(join(dir, 'empty.mp4'), '');
    await expectRejected(join(dir, 'empty.mp4'), 'empty_file', /empty \(0 bytes\)/);
  });

  it('rejects an HTML page (an error page saved as .mp4) as not media', async () => {
    writeFileSync(join(dir, 'page.mp4'), '<!DOCTYPE html>\n<html><body>403 Forbidden</body></html>\n');
    await expectRejected(join(dir, 'page.mp4'), 'not_media', /HTML page, not a video/);
  });

  it('rejects a playlist without following it', async () => {
    writeFileSync(join(dir, 'list.mp4'), `#EXTM3U\n#EXTINF:2,\n${join(SAMPLE_MEDIA, 'video.mp4')}\n`);
    await expectRejected(join(dir, 'list.mp4'), 'not_media', /playlist/);
  });

  it('rejects binary data that is no known format as not media', async () => {
    writeFileSync(join(dir, 'noise.mp4'), Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));
    await expectRejected(join(dir, 'noise.mp4'), 'not_media', /not in a video format/);
  });

  it('rejects an audio-only file as having no video', async () => {
    const path = join(dir, 'audio.m4a');
    await runFfmpeg({ inputs: [{ source: 'sine=duration=1', format: 'lavfi' }], output: path, outputOptions: ['-c:a', 'aac'] });
    await expectRejected(path, 'no_video', /no video stream/);
  });

  it('rejects a still image as not a video', async () => {
    const path = join(dir, 'still.png');
    await runFfmpeg({ inputs: [{ source: 'testsrc2=size=64x64', format: 'lavfi' }], output: path, outputOptions: ['-frames:v', '1'] });
    await expectRejected(path, 'not_media', /still image/);
  });

  it('rejects a truncated MP4 (index lost) as corrupt', async () => {
    const whole = await makeClip(dir, 'whole', { durationSec: 1 });
    const bytes = readFileSync(whole);
    writeFileSync(join(dir, 'truncated.mp4'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRejected(join(dir, 'truncated.mp4'), 'corrupt', /damaged/);
  });
});
