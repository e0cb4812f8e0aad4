import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from '../../../test/media-fixtures';
import { stitchClips } from '../stitch-clips';
import { startOutputProbe, verifyCopyJoined } from './verify-copy';

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
