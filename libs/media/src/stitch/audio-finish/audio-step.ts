import { dirname, join } from 'node:path';
import type { JoinSettings } from '@vrs/contracts';
import { FfmpegError } from '../../ffmpeg/ffmpeg-runner';
import { MediaError } from '../media-error';
import { audioBitrateOf, frameDurationSec, ResolvedTarget, VIDEO_CODECS } from '../output-target';
import { VerifiedOutput, verifyOutput } from '../verify-output';
import { finishAudio } from './audio-finish';
import { Loudness } from './loudness-meter';
import { ClipSpan } from './loudness-plan';

export interface JoinedFile {
  path: string;
  verified: VerifiedOutput;
  target: ResolvedTarget;
  /** Where each clip's picture starts in the joined file, and how long it lasts. */
  clips: ClipSpan[];
}

export interface AudioStepOptions {
  settings?: JoinSettings;
  /** The local copy of `settings.soundtrack.src`. */
  soundtrackPath?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface FinishedFile {
  path: string;
  verified: VerifiedOutput;
  loudness?: Loudness;
  warnings: string[];
}

/** Whether the join's settings ask for the audio pass; without them the joined file is published as it is. */
export function wantsAudioPass(settings?: JoinSettings): boolean {
  return !!(settings?.loudness || settings?.soundtrack);
}

/**
 * Step 3 of a join with settings: the soundtrack and loudness pass on the joined file (its picture
 * copied), then the same final check as the join's. Writes `finished.mp4` beside the joined file.
 */
export async function finishJoinedAudio(joined: JoinedFile, options: AudioStepOptions): Promise<FinishedFile> {
  const { settings, signal } = options;
  const { soundtrack, loudness } = settings ?? {};
  if (soundtrack && !options.soundtrackPath) throw new Error('settings.soundtrack needs the downloaded file as soundtrackPath');
  const path = join(dirname(joined.path), 'finished.mp4');
  try {
    const result = await finishAudio({
      input: joined.path,
      outputPath: path,
      workDir: dirname(joined.path),
      clips: joined.clips,
      ...(soundtrack && { soundtrack: { path: options.soundtrackPath!, volume: soundtrack.volume, fadeOutSec: soundtrack.fadeOut, duck: soundtrack.duck } }),
      ...(loudness && { loudness }),
      audioBitrate: audioBitrateOf(joined.target),
      signal,
      onProgress: options.onProgress,
    });
    const verified = await verifyOutput(path, {
      durationSec: joined.verified.videoDurationSec,
      joins: 0,
      frameDurationSec: frameDurationSec(joined.target.frameRate),
      width: joined.target.width,
      height: joined.target.height,
      videoCodec: VIDEO_CODECS[joined.target.codec].codec,
      signal,
    });
    return { path, verified, loudness: result.loudness, warnings: result.warnings };
  } catch (error) {
    if (signal?.aborted) throw new MediaError('cancelled', 'The stitch was cancelled.');
    if (!(error instanceof FfmpegError)) throw error;
    throw new MediaError(
      'unsupported',
      `The sound of the joined file could not be finished (${error.message.replace(/^ffmpeg failed: /, '')}); check settings.soundtrack and settings.loudness or report this job.`,
    );
  }
}
