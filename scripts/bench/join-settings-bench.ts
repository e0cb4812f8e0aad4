import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { joinSettings, type JoinSettingsInput } from '@vrs/contracts';
import { runFfmpeg, stitchClips, type StitchReport } from '@vrs/media';
import { middle, s, timed } from './timing';

/** What the stitch benchmark lends these cases: its clips, its encoder settings, a clip maker and a table row writer. */
export interface SettingsBench {
  dir: string;
  /** Ten copy-compatible 1280x720 30 fps 10 s clips with sound. */
  tenClips: string[];
  preset: string;
  crf: number;
  makeClip: (path: string, shape: { size: string; fps: number; seconds: number; audio: boolean }) => Promise<string>;
  row: (cells: string[]) => void;
}

const COVER = { aspect: '9:16', fit: 'cover' } as const;
/** 9:16 cover of 1280x720: the shorter side (720) kept, 1280 high; the 16:9 picture scaled to 2276x1280 and its sides cut. */
const COVER_FILTER = 'scale=2276:1280:flags=bicubic,setsar=1,crop=720:1280:778:0,format=yuv420p';
const STILL_RUNS = 3;

/**
 * Join settings, side by side with what a user would otherwise run: output format against one ffmpeg
 * re-encode with the same filters and encoder, poster and thumbnails against the stitch they follow.
 */
export async function benchJoinSettings(bench: SettingsBench): Promise<void> {
  const { dir, tenClips } = bench;
  const output = { ...COVER, crf: bench.crf };

  // 1. Every clip needs the new format: ten normalisations, then the copy join, vs one ffmpeg with the same filters.
  let report: StitchReport | undefined;
  const ours1 = await timed(async () => {
    report = await stitch(tenClips, dir, { output });
  });
  const full1 = await timed(() => coverReencode(tenClips, dir, bench));
  bench.row([
    `10 × 720p30 10 s → 9:16 cover ${report!.width}x${report!.height} (1 run; method ${report!.method}, ${normalised(report!)}/10 normalised)`,
    s(ours1),
    `one ffmpeg, same scale+crop, concat filter, ${bench.preset} crf ${bench.crf}: ${s(full1)}`,
    `${(ours1 / full1).toFixed(2)}x`,
    '≈ 1x (same encoding work)',
  ]);

  // 2. Nine clips already 9:16: only the tenth is encoded.
  const vertical = await bench.makeClip(join(dir, 'vertical.mp4'), { size: '720x1280', fps: 30, seconds: 10, audio: true });
  const mixed = await Promise.all(
    tenClips.map(async (clip, i) => {
      if (i === 4) return clip;
      await copyFile(vertical, join(dir, `vertical-${i}.mp4`));
      return join(dir, `vertical-${i}.mp4`);
    }),
  );
  const ours2 = await timed(async () => {
    report = await stitch(mixed, dir, { output });
  });
  const full2 = await timed(() => coverReencode(mixed, dir, bench));
  bench.row([
    `9 clips already 720x1280 + clip 5 16:9, 9:16 cover (1 run; method ${report!.method}, ${normalised(report!)}/10 normalised)`,
    s(ours2),
    `one ffmpeg re-encoding all, same filters: ${s(full2)}`,
    `${(full2 / ours2).toFixed(1)}x faster`,
    '≥ 5x faster',
  ]);

  // 3. Poster and thumbnails: what they add to a copy stitch of 100 s of 720p, against one plain decode of that output (medians, alternating).
  const plain: number[] = [];
  const withStills: number[] = [];
  const decode: number[] = [];
  for (let i = 0; i < STILL_RUNS; i++) {
    plain.push(await timed(() => stitch(tenClips, dir, {})));
    withStills.push(
      await timed(async () => {
        report = await stitch(tenClips, dir, { poster: {}, thumbnails: {} });
      }),
    );
    decode.push(await timed(() => runFfmpeg({ inputs: [{ source: join(dir, 'settings.mp4') }], output: '-', outputOptions: ['-an', '-f', 'null'] })));
  }
  const stills = middle(withStills) - middle(plain);
  const layout = report!.thumbnails!.layout;
  bench.row([
    `poster + ${layout.count} thumbnails every ${layout.everySec} s of the 10 clips' copy join (100 s; median of ${STILL_RUNS}, alternating)`,
    `${s(stills)} on top of the stitch's ${s(middle(plain))}`,
    `one full decode of the output (\`ffmpeg -f null\`): ${s(middle(decode))}`,
    `${(stills / middle(decode)).toFixed(2)}x a decode`,
    '< 1x a decode',
  ]);
}

function stitch(inputs: string[], dir: string, settings: JoinSettingsInput): Promise<StitchReport> {
  const workDir = join(dir, 'work');
  return mkdir(workDir, { recursive: true }).then(() =>
    stitchClips({ inputs, outputPath: join(dir, 'settings.mp4'), workDir, concurrency: 1, settings: joinSettings.parse(settings) }),
  );
}

/** The baseline a user would write: decode every clip, scale and crop to 9:16, re-encode all in one concat filter. */
async function coverReencode(inputs: string[], dir: string, bench: SettingsBench): Promise<void> {
  const parts = inputs.map((_, i) => `[${i}:v:0]fps=30,${COVER_FILTER}[v${i}];[${i}:a:0]aresample=48000,aformat=channel_layouts=stereo[a${i}]`);
  const graph = `${parts.join(';')};${inputs.map((_, i) => `[v${i}][a${i}]`).join('')}concat=n=${inputs.length}:v=1:a=1[v][a]`;
  await runFfmpeg({
    inputs: inputs.map((source) => ({ source })),
    output: join(dir, 'cover-full.mp4'),
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
      bench.preset,
      '-crf',
      String(bench.crf),
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
    ],
  });
}

const normalised = (report: StitchReport) => report.clips.filter((c) => c.action === 'normalise').length;
