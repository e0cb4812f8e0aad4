import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransitionSpec } from '@vrs/contracts';
import { runFfmpeg, stitchClips, type StitchReport } from '@vrs/media';
import { s, timed } from './timing';

/** What the stitch benchmark lends these cases: its encoder settings, a clip maker and a table row writer. */
export interface TransitionsBench {
  dir: string;
  preset: string;
  crf: number;
  makeClip: (path: string, shape: { size: string; fps: number; seconds: number; audio: boolean; keyint?: number }) => Promise<string>;
  row: (cells: string[]) => void;
}

const CLIPS = 8;
const CLIP_SEC = 10;
const CROSSFADE: TransitionSpec = { type: 'crossfade', duration: 1 };
/** A key picture every 2 s (what upload pipelines and many cameras use), and x264's default (one every 250 frames). */
const GOPS = [
  { frames: 60, name: 'a key picture every 2 s' },
  { frames: 250, name: "x264's default GOP (250 frames)" },
];
/** The stitcher's default budget (NORMALISE_CONCURRENCY=2): pieces run two at a time, one thread each. */
const CONCURRENCY = 2;

/**
 * Eight copy-compatible clips with seven 1 s crossfades: our stitch (copies between the transitions,
 * re-encodes around them) against one ffmpeg run through xfade/acrossfade that re-encodes the whole
 * join, as editly and ffmpeg-concat do, on the same files in this run.
 */
export async function benchTransitions(bench: TransitionsBench): Promise<void> {
  for (const gop of GOPS) {
    const clips = await sameClips(bench, gop.frames);
    let report: StitchReport | undefined;
    const ours = await timedWithCpu(async () => {
      report = await stitch(bench, clips);
    });
    const reference = await timedWithCpu(() => xfadeReencode(bench, clips));
    const both = (t: { wall: number; cpu: number }) => `${s(t.wall)} (CPU ${s(t.cpu)})`;
    bench.row([
      `${CLIPS} × 720p30 ${CLIP_SEC} s copy-compatible, ${gop.name}, ${CLIPS - 1} × 1 s crossfade (1 run; method ${report!.method}, ${report!.reencodedSec!.toFixed(1)} s of ${report!.durationSec.toFixed(1)} s re-encoded)`,
      both(ours),
      `one re-encode through \`xfade\`/\`acrossfade\` (${bench.preset}) ${both(reference)}`,
      `${(reference.wall / ours.wall).toFixed(1)}x faster (CPU ${(reference.cpu / ours.cpu).toFixed(1)}x)`,
      '≥ 3x faster',
    ]);
  }
}

/** Copies of one 10 s clip whose key pictures come every `keyint` frames. */
async function sameClips(bench: TransitionsBench, keyint: number): Promise<string[]> {
  const clip = await bench.makeClip(join(bench.dir, `gop${keyint}.mp4`), { size: '1280x720', fps: 30, seconds: CLIP_SEC, audio: true, keyint });
  const clips: string[] = [];
  for (let i = 0; i < CLIPS; i++) {
    clips.push(join(bench.dir, `gop${keyint}-${i}.mp4`));
    await copyFile(clip, clips[i]);
  }
  return clips;
}

async function stitch(bench: TransitionsBench, inputs: string[]): Promise<StitchReport> {
  const workDir = join(bench.dir, 'work');
  await mkdir(workDir, { recursive: true });
  return stitchClips({
    inputs,
    outputPath: join(bench.dir, 'crossfades.mp4'),
    workDir,
    concurrency: CONCURRENCY,
    target: { videoPreset: bench.preset, videoCrf: bench.crf },
    settings: { transition: CROSSFADE },
  });
}

/** One ffmpeg run that decodes every clip, chains xfade and acrossfade over the overlaps, and encodes it all (same preset and quality). */
async function xfadeReencode(bench: TransitionsBench, inputs: string[]): Promise<void> {
  const d = CROSSFADE.duration;
  const video: string[] = [];
  const audio: string[] = [];
  let [v, a] = ['[0:v]', '[0:a]'];
  for (let i = 1; i < inputs.length; i++) {
    video.push(`${v}[${i}:v]xfade=transition=fade:duration=${d}:offset=${i * (CLIP_SEC - d)}[v${i}]`);
    audio.push(`${a}[${i}:a]acrossfade=d=${d}[a${i}]`);
    [v, a] = [`[v${i}]`, `[a${i}]`];
  }
  await runFfmpeg({
    inputs: inputs.map((source) => ({ source })),
    output: join(bench.dir, 'xfade.mp4'),
    outputOptions: [
      '-filter_complex',
      [...video, ...audio].join(';'),
      '-map',
      v,
      '-map',
      a,
      '-c:v',
      'libx264',
      '-preset',
      bench.preset,
      '-crf',
      String(bench.crf),
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
    ],
  });
}

/** Wall time, and CPU time of this process and the children it waited for (ffmpeg): on a shared machine the CPU is the steadier measure. */
async function timedWithCpu(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpuSec = async () => {
    // /proc/self/stat after the command name: utime, stime, cutime, cstime are fields 12-15, in clock ticks (100 a second).
    const fields = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1].split(' ');
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
  };
  const before = await cpuSec();
  const wall = await timed(work);
  return { wall, cpu: (await cpuSec()) - before };
}
