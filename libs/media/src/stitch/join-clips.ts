import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegInput, runFfmpeg } from '../ffmpeg/ffmpeg-runner';
import { audioFilterGraph, audioSegments } from './audio-graph';
import { concatList } from './concat-list';
import { MediaInfo } from './media-info';
import { audioBitrateOf, ResolvedTarget } from './output-target';

export interface JoinPart {
  clip: MediaInfo;
  /** File whose video is joined: the clip itself when copied, its normalised version otherwise. */
  videoPath: string;
  videoDurationSec: number;
}

export interface JoinJob {
  parts: JoinPart[];
  target: ResolvedTarget;
  outputPath: string;
  workDir: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * One ffmpeg run: video packets joined by stream copy through the concat demuxer, audio rebuilt from
 * every clip into one continuous AAC track, written as MP4 with the index at the front.
 */
export async function joinClips(job: JoinJob): Promise<void> {
  const { parts, target } = job;
  const listPath = join(job.workDir, 'video.ffconcat');
  const graphPath = join(job.workDir, 'audio.filtergraph');
  const durations = parts.map((p) => p.videoDurationSec);
  const segments = audioSegments(
    parts.map((p) => p.clip),
    durations,
    target.audioSampleRate,
    1,
  );
  await writeFile(listPath, concatList(parts.map((p) => ({ path: p.videoPath, durationSec: p.videoDurationSec }))));
  // A script file, not an argument: hundreds of clips would exceed the kernel's per-argument limit.
  await writeFile(graphPath, audioFilterGraph(segments, target.audioSampleRate, target.audioChannels, 'audio'));

  const audioInputs: FfmpegInput[] = segments.filter((s) => s.input !== undefined).map((s) => ({ source: s.clip.path, options: ['-vn', '-sn', '-dn'] }));
  await runFfmpeg({
    inputs: [{ source: listPath, format: 'concat' }, ...audioInputs],
    output: job.outputPath,
    outputOptions: [
      '-filter_complex_script',
      graphPath,
      '-map',
      '0:v:0',
      '-map',
      '[audio]',
      '-c:v',
      'copy',
      ...(target.codec === 'h265' ? ['-tag:v', 'hvc1'] : []),
      '-c:a',
      'aac',
      '-b:a',
      audioBitrateOf(target),
      '-video_track_timescale',
      String(target.timescale),
      '-map_metadata',
      '-1',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
    ],
    expectedDurationSec: durations.reduce((a, b) => a + b, 0),
    onProgress: job.onProgress,
    signal: job.signal,
  });
}
