import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg, runFfprobe, stitchClips, StitchReport } from '@vrs/media';
import { SAMPLE_CLIPS, SAMPLE_MEDIA } from '@vrs/testing';
import { benchJoinSettings } from './join-settings-bench';
import { sampleMemory } from './memory-sampler';
import { benchAudioPass } from './stitch-audio';
import { middle, s, timed } from './timing';
import { benchTransitions } from './transitions-bench';

/**
 * Stitch benchmark: each comparison runs side by side in this one process on the same files.
 * Build with `npx tsc -p tsconfig.build.json`, run with `node dist/scripts/bench/stitch.js [mediaDir]`.
 */
const MEDIA_DIR = process.argv[2] ?? SAMPLE_MEDIA;
const PRESET = 'veryfast';
const CRF = 23;
/** The copy path is compared over more runs, alternating with its baseline, because both last a fraction of a second. */
const COPY_RUNS = 9;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-stitch-'));
  const out = (line = '') => console.log(line);
  try {
    out(`## Stitch benchmark — ${new Date().toISOString().slice(0, 10)}`);
    out();
    const clip = await makeClip(join(dir, 'a.mp4'), { size: '1280x720', fps: 30, seconds: 10, audio: true });
    out(
      `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM; node ${process.version}; ffmpeg libavformat ${await muxerVersion(clip)}.`,
    );
    out(
      `Clips: lavfi testsrc2 picture + the recorded sound of the sample edts.mp4 (looped, resampled), H.264 High (${PRESET}, crf ${CRF}) + AAC 48 kHz stereo; outputs on the local disk. Times are of single runs unless noted.`,
    );
    out();
    out('| case | ours | reference | ratio | goal |');
    out('|---|---|---|---|---|');

    const tenClips: string[] = [];
    for (let i = 0; i < 10; i++) {
      tenClips.push(join(dir, `clip-${i}.mp4`));
      await copyFile(clip, tenClips[i]);
    }

    // 1. Ten copy-compatible clips: our stitch vs a raw concat demuxer stream copy, alternating run by run.
    const ours1: number[] = [];
    const raw1: number[] = [];
    const method = (await stitch(tenClips, dir)).method;
    for (let i = 0; i < COPY_RUNS; i++) {
      ours1.push(await timeStitch(tenClips, dir));
      raw1.push(await timed(() => rawConcatCopy(tenClips, dir)));
    }
    const [oursMedian, rawMedian] = [middle(ours1), middle(raw1)];
    out(
      `| 10 × 720p30 10 s, all copy-compatible (median of ${COPY_RUNS}, alternating; method ${method}) | ${s(oursMedian)} | raw \`-f concat -c copy\` ${s(rawMedian)} | ${(oursMedian / rawMedian).toFixed(2)}x | ≤ 1.3x |`,
    );

    // 2. One clip differs (size, fps, no audio): our stitch vs re-encoding everything with the concat filter.
    const odd = await makeClip(join(dir, 'odd.mp4'), { size: '640x480', fps: 25, seconds: 10, audio: false });
    const mixed = tenClips.map((c, i) => (i === 4 ? odd : c));
    let report2: StitchReport | undefined;
    const ours2 = await timed(async () => {
      report2 = await stitch(mixed, dir);
    });
    const full2 = await timed(() => fullReencode(mixed, dir));
    out(
      `| same, clip 5 is 640x480 25 fps without audio (1 run; method ${report2!.method}) | ${s(ours2)} | full re-encode (concat filter, ${PRESET}) ${s(full2)} | ${(full2 / ours2).toFixed(1)}x faster | ≥ 5x faster |`,
    );

    // 3. The four real-world clips: the stitch must pass its verify step (point 2) and we record the time.
    const real = SAMPLE_CLIPS.map((n) => join(MEDIA_DIR, n));
    let report: StitchReport | undefined;
    const ours3 = await timed(async () => {
      report = await stitch(real, dir, 'real.mp4');
    });
    out(
      `| four sample real-world clips (1 run, default target 1920x1080; method ${report!.method}) | ${s(ours3)} | — | verified: ${report!.videoDurationSec.toFixed(3)} s video, ${report!.audioDurationSec.toFixed(3)} s audio, ${report!.clips.filter((c) => c.action === 'normalise').length}/4 normalised | passes checks |`,
    );

    // Join settings: output format, poster and thumbnails (scripts/bench/join-settings-bench.ts).
    await benchJoinSettings({ dir, tenClips, preset: PRESET, crf: CRF, makeClip, row: (cells) => out(`| ${cells.join(' | ')} |`) });

    // Join settings: soundtrack and loudness, the audio pass (scripts/bench/stitch-audio.ts).
    await benchAudioPass(clip, { dir, row: (cells) => out(`| ${cells.join(' | ')} |`) });

    // Transitions: crossfades re-encoded only around the joins (scripts/bench/transitions-bench.ts).
    await benchTransitions({ dir, preset: PRESET, crf: CRF, makeClip, row: (cells) => out(`| ${cells.join(' | ')} |`) });

    // 4. Peak memory while stitching about 1 GB of input.
    const big = await makeClip(join(dir, 'big.mp4'), { size: '1280x720', fps: 30, seconds: 10, audio: true, noisy: true });
    const bigSize = (await stat(big)).size;
    const copies = Math.ceil(2 ** 30 / bigSize);
    const bigInputs: string[] = [];
    for (let i = 0; i < copies; i++) {
      bigInputs.push(join(dir, `big-${i}.mp4`));
      await copyFile(big, bigInputs[i]);
    }
    const sampler = sampleMemory();
    const ours4 = await timeStitch(bigInputs, dir);
    const peaks = sampler.stop();
    out(
      `| peak RSS, ${copies} clips = ${((copies * bigSize) / 2 ** 30).toFixed(2)} GB input (1 run, ${s(ours4)}) | node ${peaks.nodeRssMb.toFixed(0)} MB | largest ffmpeg child ${peaks.childRssMb.toFixed(0)} MB; node + children ${peaks.totalRssMb.toFixed(0)} MB | — | node < 300 MB |`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ClipShape {
  size: string;
  fps: number;
  seconds: number;
  audio: boolean;
  noisy?: boolean;
  keyint?: number;
}

async function makeClip(path: string, shape: ClipShape): Promise<string> {
  // Noise makes the picture incompressible, for a large file from few frames.
  const video = `testsrc2=size=${shape.size}:rate=${shape.fps}:duration=${shape.seconds}`;
  // Recorded sound (the sample clip's track, looped): synthetic noise or tones are worst cases for AAC.
  const audio = { source: join(MEDIA_DIR, 'edts.mp4'), options: ['-stream_loop', '-1'] };
  await runFfmpeg({
    inputs: [{ source: video, format: 'lavfi' }, ...(shape.audio ? [audio] : [])],
    output: path,
    outputOptions: [
      '-map',
      '0:v',
      ...(shape.audio ? ['-map', '1:a', '-t', String(shape.seconds), '-af', 'aresample=48000,asetpts=N/SR/TB'] : []),
      ...(shape.noisy ? ['-vf', 'noise=alls=60:allf=t,format=yuv420p'] : ['-vf', 'format=yuv420p']),
      '-c:v',
      'libx264',
      '-preset',
      PRESET,
      '-crf',
      shape.noisy ? '8' : String(CRF),
      ...(shape.keyint ? ['-g', String(shape.keyint)] : []),
      ...(shape.audio ? ['-c:a', 'aac', '-ac', '2'] : []),
    ],
  });
  return path;
}

async function stitch(inputs: string[], dir: string, name = 'ours.mp4'): Promise<StitchReport> {
  const workDir = join(dir, 'work');
  await mkdir(workDir, { recursive: true });
  return stitchClips({ inputs, outputPath: join(dir, name), workDir, concurrency: 1, target: { videoPreset: PRESET, videoCrf: CRF } });
}

function timeStitch(inputs: string[], dir: string): Promise<number> {
  return timed(() => stitch(inputs, dir));
}

async function rawConcatCopy(inputs: string[], dir: string): Promise<void> {
  const list = join(dir, 'raw.ffconcat');
  await writeFile(list, 'ffconcat version 1.0\n' + inputs.map((p) => `file '${p}'`).join('\n') + '\n');
  await runFfmpeg({ inputs: [{ source: list, format: 'concat' }], output: join(dir, 'raw.mp4'), outputOptions: ['-c', 'copy'] });
}

/** The always-correct baseline: decode everything, fit to 1280x720@30, re-encode with the concat filter. */
async function fullReencode(inputs: string[], dir: string): Promise<void> {
  const parts = inputs.map((path, i) => {
    const v = `[${i}:v:0]fps=30,scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[v${i}]`;
    const a = path.endsWith('odd.mp4')
      ? `anullsrc=r=48000:cl=stereo,atrim=duration=10[a${i}]`
      : `[${i}:a:0]aresample=48000,aformat=channel_layouts=stereo[a${i}]`;
    return `${v};${a}`;
  });
  const graph = `${parts.join(';')};${inputs.map((_, i) => `[v${i}][a${i}]`).join('')}concat=n=${inputs.length}:v=1:a=1[v][a]`;
  await runFfmpeg({
    inputs: inputs.map((source) => ({ source })),
    output: join(dir, 'full.mp4'),
    outputOptions: [
      '-filter_complex',
      graph,
      '-map',
      '[v]',
      '-map',
      '[a]',
      '-c:v',
      'libx264',
      '-preset',
      PRESET,
      '-crf',
      String(CRF),
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
    ],
  });
}

/** The muxer version ffmpeg stamps into files it writes, e.g. "Lavf59.27.100". */
async function muxerVersion(path: string): Promise<string> {
  return (await runFfprobe({ input: path, args: ['-show_entries', 'format_tags=encoder', '-of', 'csv=p=0'] })).trim();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
