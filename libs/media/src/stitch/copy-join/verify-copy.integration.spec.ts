import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeClip } from '../../../test/media-fixtures';
import { stitchClips } from '../stitch-clips';
import { assertOutputProbeInstalled, outputProbe, startOutputProbe, verifyCopyJoined } from './verify-copy';

/** The copy join's final check must be able to fail: wrong length, wrong size, a hole in a track. */
describe('verifyCopyJoined (real ffprobe)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-copy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const prober = () => startOutputProbe();
  const expected = { durationSec: 4, joins: 1, frameDurationSec: 0.04, width: 320, height: 240 };
  let joined: string;
  beforeAll(async () => {
    const clip = await makeClip(dir, 'clip');
    joined = join(dir, 'joined.mp4');
    expect((await stitchClips({ inputs: [clip, clip], outputPath: joined, workDir: dir })).method).toBe('copy-join');
  });

  it('passes the file the copy join wrote', async () => {
    await expect(verifyCopyJoined(joined, 2 ** 20, prober(), expected)).resolves.toMatchObject({ videoDurationSec: expect.closeTo(4, 1) });
  });

  it('fails it against another length or picture size', async () => {
    await expect(verifyCopyJoined(joined, 2 ** 20, prober(), { ...expected, durationSec: 5 })).rejects.toMatchObject({
      code: 'verify_failed',
      message: /video lasts 4\.0\d+ s but the clips add up to 5\.000 s/,
    });
    await expect(verifyCopyJoined(joined, 2 ** 20, prober(), { ...expected, width: 640 })).rejects.toMatchObject({
      code: 'verify_failed',
      message: /320x240 instead of 640x240/,
    });
  });

  it('fails a file whose index has holes in the picture track', async () => {
    // The video's stts is one run of 100 pictures of 512 ticks (1/12800 s): make each last half a second.
    // The durations in the track headers stay as they were, so only the timeline check can notice.
    const bytes = readFileSync(joined);
    const stts = bytes.indexOf('stts');
    expect([bytes.readUInt32BE(stts + 8), bytes.readUInt32BE(stts + 12), bytes.readUInt32BE(stts + 16)]).toEqual([1, 100, 512]);
    bytes.writeUInt32BE(6400, stts + 16);
    const broken = join(dir, 'broken.mp4');
    writeFileSync(broken, bytes);
    await expect(verifyCopyJoined(broken, 2 ** 20, prober(), expected)).rejects.toMatchObject({
      code: 'verify_failed',
      message: /stream 0 has a 0\.500 s hole/,
    });
  });
});

/**
 * The stitcher checks copy joins with a build of ffprobe for MP4 alone (scripts/infra/mp4-probe.sh,
 * FFPROBE_MP4_PATH): it must read their output exactly as Debian's full ffprobe does, and nothing else.
 */
describe('the output checker built for MP4 (scripts/infra/mp4-probe.sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp4-probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const built =
    process.env.FFPROBE_MP4_PATH ||
    execFileSync('bash', [resolve(__dirname, '../../../../../scripts/infra/mp4-probe.sh'), '--print-path'], { encoding: 'utf8' }).trim();
  const probe = (command: string, input: Buffer, args = outputProbe().args) =>
    spawnSync(command, ['-hide_banner', '-v', 'error', '-protocol_whitelist', 'pipe', ...args], { input, encoding: 'utf8' });

  it("answers what Debian's ffprobe answers for a copy join of 720p clips", async () => {
    const clip = await makeClip(dir, 'clip', { size: '1280x720', fps: 30, durationSec: 3 });
    const joined = join(dir, 'joined.mp4');
    expect((await stitchClips({ inputs: [clip, clip, clip], outputPath: joined, workDir: dir })).method).toBe('copy-join');
    const head = readFileSync(joined).subarray(0, 2 ** 21);
    const [ours, debian] = [probe(built, head), probe('ffprobe', head)];
    expect(ours.status).toBe(0);
    expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(debian.stdout));
    expect(JSON.parse(ours.stdout).streams.map((s: { codec_name: string }) => s.codec_name)).toEqual(['h264', 'aac']);
  });

  it('reads no other format and no file', async () => {
    const webm = readFileSync(await makeClip(dir, 'other', { container: 'webm' }));
    expect(probe(built, webm, ['-show_format', '-of', 'json', '-i', 'pipe:0']).status).not.toBe(0);
    const local = probe(built, Buffer.alloc(0), ['-show_format', '-of', 'json', '-i', 'file:/etc/hostname']);
    expect(local.status).not.toBe(0);
    expect(local.stderr).toMatch(/Protocol not found|not on whitelist/);
  });

  it('keeps a stitcher from starting when FFPROBE_MP4_PATH names no executable', () => {
    const configured = process.env.FFPROBE_MP4_PATH;
    try {
      process.env.FFPROBE_MP4_PATH = join(dir, 'missing', 'ffprobe');
      expect(() => assertOutputProbeInstalled()).toThrow(/^FFPROBE_MP4_PATH: .*missing\/ffprobe is not an executable file/);
      process.env.FFPROBE_MP4_PATH = built;
      expect(() => assertOutputProbeInstalled()).not.toThrow();
    } finally {
      if (configured === undefined) delete process.env.FFPROBE_MP4_PATH;
      else process.env.FFPROBE_MP4_PATH = configured;
    }
  });
});
