import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinSettings } from '@vrs/contracts';
import { decodeAudio } from '../../../test/media-fixtures';
import { toneAmplitude, videoPackets } from '../../../test/signal-measures';
import { ebur128Summary, makeRecordedClip } from '../../../test/sound-measures';
import { runFfmpeg } from '../../ffmpeg/ffmpeg-runner';
import { stitchClips, StitchPhase } from '../stitch-clips';

/** The audio pass as a join job gets it: settings parsed by the contract, through stitchClips. */
describe('stitchClips with settings.loudness and settings.soundtrack (real ffmpeg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-audio-'));
  let clips: string[];
  let music: string;
  beforeAll(async () => {
    clips = [await makeRecordedClip(dir, 'quiet', -24, 4), await makeRecordedClip(dir, 'loud', -13, 4)];
    music = join(dir, 'music.mp3');
    await runFfmpeg({
      inputs: [{ source: 'sine=frequency=3000:sample_rate=44100:duration=3', format: 'lavfi' }],
      output: music,
      outputOptions: ['-c:a', 'libmp3lame', '-ac', '2'],
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("joins by copy as before, then mixes the music in and normalises the sound; the picture is the plain join's, packet for packet", async () => {
    const plain = join(dir, 'plain.mp4');
    const plainReport = await stitchClips({ inputs: clips, outputPath: plain, workDir: dir });

    const finished = join(dir, 'finished.mp4');
    const phases: StitchPhase[] = [];
    const settings = joinSettings.parse({ loudness: { integrated: -18, truePeak: -1.5 }, soundtrack: { src: 'https://example.com/music.mp3', duck: true } });
    const report = await stitchClips({
      inputs: clips,
      outputPath: finished,
      workDir: mkdtempSync(join(dir, 'work-')),
      settings,
      soundtrackPath: music,
      onProgress: (phase) => {
        if (phases[phases.length - 1] !== phase) phases.push(phase);
      },
    });

    expect(report.method).toBe('copy-join');
    // The copy join checks its own file; the audio pass follows, and the finished file is checked again.
    expect(phases).toEqual(['probe', 'join', 'verify', 'audio', 'verify']);
    expect(await videoPackets(finished)).toEqual(await videoPackets(plain));
    expect(report.videoDurationSec).toBe(plainReport.videoDurationSec);
    expect(Math.abs(report.audioDurationSec - plainReport.audioDurationSec)).toBeLessThanOrEqual(0.001);
    const measured = await ebur128Summary(finished);
    expect(Math.abs(measured.integrated - -18)).toBeLessThanOrEqual(1);
    expect(measured.truePeak).toBeLessThanOrEqual(-1.5);
    expect(report.loudness!.integratedLufs).toBeCloseTo(measured.integrated, 0);
    const pcm = await decodeAudio(finished, dir);
    expect(toneAmplitude(pcm, 1, 2, 3000)).toBeGreaterThan(0.001); // the defaults: volume 0.25, ducked under the clips
    expect(toneAmplitude(pcm, 7.95, 8, 3000)).toBeLessThan(toneAmplitude(pcm, 5, 5.5, 3000) / 10); // 2 s fade-out by default
    // Still a file the copy join takes as it is, as nested jobs need.
    expect((await stitchClips({ inputs: [finished, clips[0]], outputPath: join(dir, 'nested.mp4'), workDir: dir })).method).toBe('copy-join');
  });

  it('finishes a general-path join (mono sound rebuilt by ffmpeg) the same way', async () => {
    const settings = joinSettings.parse({ loudness: { integrated: -20 } });
    const finished = join(dir, 'general.mp4');
    const report = await stitchClips({ inputs: clips, outputPath: finished, workDir: dir, settings, target: { audioChannels: 1 } });
    expect(report.method).toBe('general');
    const measured = await ebur128Summary(finished);
    expect(Math.abs(measured.integrated - -20)).toBeLessThanOrEqual(1);
    expect(measured.truePeak).toBeLessThanOrEqual(-1);
    const [first, second] = await Promise.all([ebur128Summary(finished, 0.5, 3), ebur128Summary(finished, 4.5, 3)]);
    expect(Math.abs(first.integrated - second.integrated)).toBeLessThanOrEqual(1);
    expect(Math.abs(report.audioDurationSec - report.videoDurationSec)).toBeLessThanOrEqual(0.1);
  });

  it('evens the clips across a crossfade, where both sound, and lands the whole on the target', async () => {
    const settings = joinSettings.parse({ transition: { type: 'crossfade', duration: 1 }, loudness: { integrated: -16 } });
    const finished = join(dir, 'crossfaded.mp4');
    const report = await stitchClips({ inputs: clips, outputPath: finished, workDir: dir, settings });
    expect(report.overlapSec).toBeCloseTo(1, 2);
    expect(report.clips[1].startSec).toBeCloseTo(3, 2);
    const measured = await ebur128Summary(finished);
    expect(Math.abs(measured.integrated - -16)).toBeLessThanOrEqual(1);
    expect(measured.truePeak).toBeLessThanOrEqual(-1);
    const [first, second] = await Promise.all([ebur128Summary(finished, 0.3, 2.5), ebur128Summary(finished, 4.2, 2.5)]);
    expect(Math.abs(first.integrated - second.integrated)).toBeLessThanOrEqual(1);
    expect(report.videoDurationSec).toBeCloseTo(7, 1);
  });

  it('finishes an H.265 output the same way, its picture copied and checked as H.265', async () => {
    const settings = joinSettings.parse({ output: { codec: 'h265', quality: 'draft' }, soundtrack: { src: 'https://example.com/music.mp3' } });
    const finished = join(dir, 'hevc.mp4');
    const report = await stitchClips({ inputs: clips, outputPath: finished, workDir: dir, settings, soundtrackPath: music });
    expect(report.clips.every((c) => c.action === 'normalise')).toBe(true);
    const pcm = await decodeAudio(finished, dir);
    expect(toneAmplitude(pcm, 1, 2, 3000)).toBeGreaterThan(0.01); // volume 0.25 of a 0.125 tone, not ducked
    expect(Math.abs(report.audioDurationSec - report.videoDurationSec)).toBeLessThanOrEqual(0.1);
  });

  it('stops and cleans up when cancelled during the audio pass', async () => {
    const controller = new AbortController();
    const workDir = mkdtempSync(join(dir, 'cancel-'));
    const outputPath = join(dir, 'cancelled.mp4');
    const run = stitchClips({
      inputs: clips,
      outputPath,
      workDir,
      settings: joinSettings.parse({ loudness: {} }),
      signal: controller.signal,
      onProgress: (phase) => {
        if (phase === 'audio') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(workDir)).toEqual([]);
    expect(existsSync(outputPath)).toBe(false);
  });

  it('leaves a join whose settings ask for neither exactly as a plain one (copy fast path, no audio pass)', async () => {
    const plain = join(dir, 'plain-2.mp4');
    await stitchClips({ inputs: clips, outputPath: plain, workDir: dir });
    const phases = new Set<StitchPhase>();
    const withSettings = join(dir, 'settings-only.mp4');
    const workDir = mkdtempSync(join(dir, 'work-'));
    await stitchClips({ inputs: clips, outputPath: withSettings, workDir, settings: joinSettings.parse({ preset: 'mp4' }), onProgress: (p) => phases.add(p) });
    expect(phases.has('audio')).toBe(false);
    expect(readFileSync(withSettings).equals(readFileSync(plain))).toBe(true);
    expect(readdirSync(workDir)).toEqual([]);
  });
});
