import { basename, dirname, join } from 'node:path';
import { FfmpegError } from '../ffmpeg/ffmpeg-runner';
import { makeStills, type Stills, type StillsJob } from '../stills/make-stills';
import type { TimeRange } from '../stills/poster-choice';
import type { SpriteLayout } from '../stills/thumbnail-index';
import { MediaError } from './media-error';
import type { StitchOptions, StitchReport } from './stitch-clips';

/** Where a stitch's poster and thumbnails go (JPEG, JPEG, WebVTT); the index names the sprite `spriteRef`. */
export interface StillPaths {
  posterPath: string;
  spritePath: string;
  indexPath: string;
  spriteRef: string;
}

export interface StitchStills {
  poster?: { path: string; atSec: number };
  thumbnails?: { spritePath: string; indexPath: string; layout: SpriteLayout };
}

/** Pictures this close to a join (plus its transition) are never chosen as the poster: they may be mid-cut or mid-fade. */
const JOIN_MARGIN_SEC = 0.5;

/** Default places: beside the output, named after it (`out.poster.jpg`, `out.thumbnails.jpg`, `out.thumbnails.vtt`). */
export function stillPathsBeside(outputPath: string): StillPaths {
  const base = basename(outputPath).replace(/\.[^.]+$/, '');
  const at = (name: string) => join(dirname(outputPath), `${base}.${name}`);
  return { posterPath: at('poster.jpg'), spritePath: at('thumbnails.jpg'), indexPath: at('thumbnails.vtt'), spriteRef: `${base}.thumbnails.jpg` };
}

/** The final step of a stitch whose settings ask for a poster or thumbnails: made from the published file. */
export async function withStills(report: StitchReport, options: StitchOptions): Promise<StitchReport> {
  const { poster, thumbnails } = options.settings ?? {};
  if (!poster && !thumbnails) return report;
  options.onProgress?.('stills', 0);
  const paths = options.stills ?? stillPathsBeside(options.outputPath);
  const made = await guarded({
    input: options.outputPath,
    durationSec: report.videoDurationSec,
    width: report.width,
    height: report.height,
    fps: report.fps,
    poster: poster && { path: paths.posterPath, atSec: poster.at, avoid: joinTimes(report, options) },
    thumbnails: thumbnails && {
      spritePath: paths.spritePath,
      indexPath: paths.indexPath,
      spriteRef: paths.spriteRef,
      everySec: thumbnails.every,
      width: thumbnails.width,
    },
    signal: options.signal,
  });
  options.onProgress?.('stills', 1);
  return {
    ...report,
    ...(made.poster ? { poster: made.poster } : {}),
    ...(made.thumbnails ? { thumbnails: made.thumbnails } : {}),
    warnings: [...report.warnings, ...made.warnings],
  };
}

/** ffmpeg's failures as the stitch's own errors: cancelled, or the stills could not be made. */
async function guarded(job: StillsJob): Promise<Stills> {
  try {
    return await makeStills(job);
  } catch (error) {
    if (job.signal?.aborted) throw new MediaError('cancelled', 'The stitch was cancelled.');
    if (!(error instanceof FfmpegError)) throw error;
    throw new MediaError(
      'unsupported',
      `The poster or thumbnails could not be made from the joined file (${error.message.replace(/^ffmpeg failed: /, '')}); report this job.`,
    );
  }
}

/** Around every join, with the transition it has (its clip's own or the job's), in output time. */
function joinTimes(report: StitchReport, options: StitchOptions): TimeRange[] {
  return report.clips.slice(1).map((clip, i) => {
    const margin = JOIN_MARGIN_SEC + (options.transitions?.[i]?.duration ?? options.settings?.transition?.duration ?? 0);
    return { fromSec: clip.startSec - margin, toSec: clip.startSec + margin };
  });
}
