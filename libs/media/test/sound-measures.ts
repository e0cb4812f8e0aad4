import { join } from 'node:path';
import { runFfmpeg } from '../src/ffmpeg/ffmpeg-runner';
import { makeClip, SAMPLE_MEDIA } from './media-fixtures';

/**
 * Clips and measures for the audio pass (soundtrack, loudness): loudness read with ffmpeg's ebur128 the
 * way a person checking the output would (tones and packets: signal-measures.ts).
 */

/** edts.mp4's recorded sound (a real recording, not a tone) measures -15.6 LUFS as it is. */
const RECORDED_LUFS = -15.6;

/** A makeClip picture with edts.mp4's recorded sound, looped and set to about `lufs` integrated loudness. */
export async function makeRecordedClip(dir: string, name: string, lufs: number, durationSec: number): Promise<string> {
  const picture = await makeClip(dir, `${name}-picture`, { durationSec, audio: false });
  const path = join(dir, `${name}.mp4`);
  await runFfmpeg({
    inputs: [{ source: picture }, { source: join(SAMPLE_MEDIA, 'edts.mp4'), options: ['-stream_loop', '-1'] }],
    output: path,
    outputOptions: [
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-ac',
      '2',
      '-t',
      String(durationSec),
      '-af',
      `aresample=48000,asetpts=N/SR/TB,volume=${(lufs - RECORDED_LUFS).toFixed(2)}dB`,
    ],
  });
  return path;
}

/** ffmpeg's own EBU R128 summary (ebur128 with true peak) of a file's sound, or of a stretch of it. */
export async function ebur128Summary(path: string, fromSec = 0, lengthSec?: number): Promise<{ integrated: number; truePeak: number }> {
  const lines: string[] = [];
  await runFfmpeg({
    inputs: [{ source: path, options: ['-ss', String(fromSec), ...(lengthSec === undefined ? [] : ['-t', String(lengthSec)])] }],
    output: '-',
    outputOptions: ['-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null'],
    onStderr: (line) => lines.push(line),
  });
  // The last summary: ffmpeg may build (and so report) a filter graph once before the real one.
  const summary = lines.slice(lines.map((l) => l.includes('Summary:')).lastIndexOf(true));
  const value = (label: string) =>
    Number(new RegExp(`^\\s*${label}:\\s*(-?[\\d.]+|-inf)`).exec(summary.find((l) => new RegExp(`^\\s*${label}:`).test(l)) ?? '')?.[1] ?? NaN);
  return { integrated: value('I'), truePeak: value('Peak') };
}
