import { writeFile } from 'node:fs/promises';
import { runFfmpeg } from '../ffmpeg/ffmpeg-runner';
import { choosePosterTime, parseFrameStats, type TimeRange } from './poster-choice';
import { spriteLayout, thumbnailIndex, type SpriteLayout } from './thumbnail-index';

export interface StillsJob {
  /** The finished video. */
  input: string;
  durationSec: number;
  width: number;
  height: number;
  fps: number;
  /** A JPEG poster at `atSec`, or at a well-chosen picture (see choosePosterTime) outside `avoid`. */
  poster?: { path: string; atSec?: number; avoid?: TimeRange[] };
  /** A JPEG sprite of thumbnails and its WebVTT index, which names the sprite `spriteRef`. */
  thumbnails?: { spritePath: string; indexPath: string; spriteRef: string; everySec: number; width: number };
  signal?: AbortSignal;
}

export interface Stills {
  poster?: { path: string; atSec: number };
  thumbnails?: { spritePath: string; indexPath: string; layout: SpriteLayout };
  /** What differs from what was asked (a poster time past the end, thumbnails spaced out), one sentence each. */
  warnings: string[];
}

/** Pictures sampled per second when looking for a poster, and the stretch of the video looked at. */
const SAMPLES_PER_SEC = 4;
const SEARCH = { minSec: 10, shareOfVideo: 1 / 3, maxSec: 30, skipHeadSec: 0.5 };
/** Decoder options for the pass that only looks at small copies of the pictures. */
const SKIM = ['-skip_frame', 'noref', '-skip_loop_filter', 'all'];

/**
 * Poster and thumbnails of a finished video. One decoding pass (skimming: reference pictures only) makes
 * the sprite and, when the poster time is not given, measures the pictures of the first part of the video;
 * a second, short run seeks to the poster's time, decodes exactly, and encodes that one picture at full size.
 */
export async function makeStills(job: StillsJob): Promise<Stills> {
  const warnings: string[] = [];
  const layout = job.thumbnails && spriteLayout(job.durationSec, job.thumbnails.everySec, job.thumbnails.width, job);
  if (job.thumbnails && layout && layout.everySec !== job.thumbnails.everySec) {
    warnings.push(
      `thumbnails are every ${layout.everySec} s instead of ${job.thumbnails.everySec} s, so that the sprite stays within ${Math.round((8192 * 8192) / 1e6)} megapixels`,
    );
  }
  const search = job.poster && job.poster.atSec === undefined ? searchWindow(job.durationSec) : undefined;
  const samples = layout || search ? await decodePass(job, layout, search) : [];

  const stills: Stills = { warnings };
  if (job.poster) {
    const lastFrameSec = Math.max(0, job.durationSec - 1 / job.fps);
    let atSec = job.poster.atSec ?? choosePosterTime(samples, job.poster.avoid) ?? 0;
    if (atSec > lastFrameSec) {
      warnings.push(`poster.at ${atSec} s is past the end of the ${job.durationSec.toFixed(3)} s video: the poster is its last picture`);
      atSec = lastFrameSec;
    }
    // The picture on screen at atSec is the one that starts at or just before it.
    const frameSec = Math.floor(atSec * job.fps + 1e-6) / job.fps;
    await runFfmpeg({
      inputs: [{ source: job.input, options: ['-ss', frameSec.toFixed(6)] }],
      output: job.poster.path,
      outputOptions: ['-map', '0:v:0', '-an', '-frames:v', '1', '-q:v', '2', '-f', 'image2'],
      signal: job.signal,
    });
    stills.poster = { path: job.poster.path, atSec: frameSec };
  }
  if (job.thumbnails && layout) {
    await writeFile(job.thumbnails.indexPath, thumbnailIndex(layout, job.durationSec, job.thumbnails.spriteRef));
    stills.thumbnails = { spritePath: job.thumbnails.spritePath, indexPath: job.thumbnails.indexPath, layout };
  }
  return stills;
}

/** Where to look for a poster: past the first half second (fade-ins), over the first third of the video (10 to 30 s). */
function searchWindow(durationSec: number): TimeRange {
  const toSec = Math.min(durationSec, Math.max(SEARCH.minSec, durationSec * SEARCH.shareOfVideo), SEARCH.maxSec);
  return { fromSec: Math.min(SEARCH.skipHeadSec, durationSec / 4), toSec };
}

/** One ffmpeg run over the video: the sprite (when asked) and the sampled pictures' stats (when searching for a poster). */
async function decodePass(job: StillsJob, layout: SpriteLayout | undefined, search: TimeRange | undefined) {
  // The first picture at or after each multiple of `every`: exact times, no drift.
  const select = layout && `select='if(isnan(prev_selected_t),1,gte(floor(t/${layout.everySec}),floor(prev_selected_t/${layout.everySec})+1))'`;
  const sprite = layout && `${select},scale=${layout.width}:${layout.height}:flags=bicubic,setsar=1,tile=${layout.columns}x${layout.rows}[sprite]`;
  const spriteOutput = ['-map', '[sprite]', '-frames:v', '1', '-q:v', '4', '-f', 'image2'];
  const stats =
    search &&
    `trim=start=${search.fromSec.toFixed(3)}:end=${search.toSec.toFixed(3)},fps=${SAMPLES_PER_SEC},scale=160:-2,entropy,signalstats,metadata=mode=print[stats]`;
  const statsOutput = ['-map', '[stats]', '-f', 'null'];
  const run =
    sprite && stats
      ? { graph: `[0:v]split=2[a][b];[a]${sprite};[b]${stats}`, options: [...spriteOutput, job.thumbnails!.spritePath, ...statsOutput], output: '-' }
      : sprite
        ? { graph: `[0:v]${sprite}`, options: spriteOutput, output: job.thumbnails!.spritePath }
        : { graph: `[0:v]${stats}`, options: statsOutput, output: '-' };
  const lines: string[] = [];
  await runFfmpeg({
    // Pictures no other picture refers to are not decoded, nor deblocked: half the decoding time (measured), at the cost
    // of a thumbnail being up to a few frames after its time. Without a sprite, decoding stops at the end of the search window.
    inputs: [{ source: job.input, options: [...SKIM, ...(sprite ? [] : ['-t', search!.toSec.toFixed(3)])] }],
    output: run.output,
    outputOptions: ['-an', '-filter_complex', run.graph, ...run.options],
    onStderr: (line) => {
      if (line.includes('Parsed_metadata')) lines.push(line);
    },
    signal: job.signal,
  });
  return parseFrameStats(lines);
}
