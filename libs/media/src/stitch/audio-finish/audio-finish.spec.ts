import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../../ffmpeg/ffmpeg-runner';
import {
  decodeAudio, ebur128Summary, makeClip, outputFacts, SAMPLE_MEDIA, toneAmplitude, videoPacketHashes,
} from '../../../test/media-fixtures';
import { stitchClips, StitchReport } from '../stitch-clips';
import { finishAudio } from './audio-finish';

const RECORDED = join(SAMPLE_MEDIA, 'edts.mp4');
/** edts.mp4's recorded sound measures -15.6 LUFS; these gains put it at about -24 and -13 LUFS. */
const QUIET = { from: RECORDED, filter: 'volume=-8.4dB' };
const LOUD = { from: RECORDED, filter: 'volume=2.6dB' };

describe('finishAudio: loudness and soundtrack on a joined file (real ffmpeg, measured with ebur128)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audio-finish-'));
  afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir); });

  /** Joins the clips the way a job does and returns the joined file with where each clip plays. */
  async function join2(name: string, clips: string[]): Promise<{ path: string; report: StitchReport }> {
    const path = join(dir, `${name}-joined.mp4`);
    const report = await stitchClips({ inputs: clips, outputPath: path, workDir: dir });
    return { path, report };
  }
  const spans = (report: StitchReport) => report.clips.map((c) => ({ startSec: c.startSec, durationSec: c.durationSec }));

  async function expectVideoCopiedAndLengthKept(joined: string, finished: string) {
    expect(await videoPacketHashes(finished, dir)).toEqual(await videoPacketHashes(joined, dir));
    const [before, after] = await Promise.all([outputFacts(joined), outputFacts(finished)]);
    expect(after).toMatchObject({ videoStreams: 1, audioStreams: 1, nonMonotonicStreams: 0, moovBeforeMdat: true });
    expect(after.videoSec).toBe(before.videoSec);
    expect(Math.abs(after.audioSec - before.audioSec)).toBeLessThanOrEqual(0.001);
  }

  it('brings a -24 LUFS clip next to a -13 LUFS one to the target: the whole within 1 LU, true peak under, both clips even', async () => {
    const quiet = await makeClip(dir, 'quiet', { durationSec: 6, audio: QUIET });
    const loud = await makeClip(dir, 'loud', { durationSec: 6, audio: LOUD });
    expect((await ebur128Summary(quiet)).integrated).toBeCloseTo(-24, 0);
    expect((await ebur128Summary(loud)).integrated).toBeCloseTo(-13, 0);
    const { path, report } = await join2('levels', [quiet, loud]);
    expect(report.method).toBe('copy-join');

    const outputPath = join(dir, 'levels-16.mp4');
    const workDir = mkdtempSync(join(dir, 'work-'));
    const result = await finishAudio({ input: path, outputPath, workDir, clips: spans(report), loudness: { integrated: -16, truePeak: -1 } });

    const whole = await ebur128Summary(outputPath);
    expect(Math.abs(whole.integrated - -16)).toBeLessThanOrEqual(1);
    expect(whole.truePeak).toBeLessThanOrEqual(-1);
    const [first, second] = await Promise.all([ebur128Summary(outputPath, 0.5, 5), ebur128Summary(outputPath, 6.5, 5)]);
    expect(Math.abs(first.integrated - second.integrated)).toBeLessThanOrEqual(1);
    expect(result).toMatchObject({ warnings: [] });
    expect(Math.abs(result.loudness!.integratedLufs - whole.integrated)).toBeLessThanOrEqual(0.1);
    await expectVideoCopiedAndLengthKept(path, outputPath);
    expect(readdirSync(workDir)).toEqual([]);
  });
});
