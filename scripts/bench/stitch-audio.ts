import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { joinSettings, type JoinSettingsInput } from '@vrs/contracts';
import { AAC_BITRATE, measureLoudness, runFfmpeg, stitchClips } from '@vrs/media';
import { middle, s, timed } from './timing';

/** What the stitch benchmark lends these cases: its scratch directory and a table row writer. */
export interface AudioBench {
  dir: string;
  row: (cells: string[]) => void;
}

const CLIPS = 10;
const RUNS = 3;
const TARGET = { integrated: -16, truePeak: -1 };
/** What a user would write with ffmpeg alone: one command, one-pass loudnorm (dynamic), the same mix. */
const ONE_PASS_LOUDNORM = `loudnorm=I=${TARGET.integrated}:TP=${TARGET.truePeak}:LRA=11,aresample=48000,aformat=channel_layouts=stereo`;
/** The audio pass's own ducking (finish-graph.ts), so the reference mixes alike. */
const DUCK = 'sidechaincompress=threshold=0.015:ratio=8:attack=20:release=400:link=maximum';

/**
 * The audio pass (settings.loudness, settings.soundtrack) on a join of ten copy-compatible 10 s clips
 * whose recorded sound alternates between about -24 and -13 LUFS: the join alone, the join with each
 * setting, and one ffmpeg command doing the same join and sound in a single re-encode, in this run.
 */
export async function benchAudioPass(clip: string, bench: AudioBench): Promise<void> {
  const { dir, row } = bench;
  const quiet = await withGain(clip, -8.4, join(dir, 'audio-quiet.mp4'));
  const loud = await withGain(clip, 2.6, join(dir, 'audio-loud.mp4'));
  const inputs: string[] = [];
  for (let i = 0; i < CLIPS; i++) {
    inputs.push(join(dir, `audio-clip-${i}.mp4`));
    await copyFile(i % 2 ? loud : quiet, inputs[i]);
  }
  const music = join(dir, 'music.mp3');
  // A 30 s chord with a slow swell, looped three times and more over the 100 s join.
  await runFfmpeg({
    inputs: [{ source: "aevalsrc='0.2*(sin(2*PI*220*t)+sin(2*PI*277.2*t)+sin(2*PI*329.6*t))*(0.6+0.4*sin(2*PI*t/7.5))':s=44100:d=30", format: 'lavfi' }],
    output: music,
    outputOptions: ['-c:a', 'libmp3lame', '-ac', '2'],
  });
  const workDir = join(dir, 'audio-work');
  await mkdir(workDir, { recursive: true });
  const ours = (name: string, settings?: JoinSettingsInput) =>
    stitchClips({
      inputs,
      outputPath: join(dir, name),
      workDir,
      settings: settings && joinSettings.parse(settings),
      soundtrackPath: music,
    });
  const soundtrack = { src: 'https://example.com/music.mp3', duck: true };

  let method = '';
  const cases = {
    join: async () => {
      method = (await ours('audio-plain.mp4')).method;
    },
    loudness: () => ours('audio-loudness.mp4', { loudness: TARGET }),
    both: () => ours('audio-both.mp4', { loudness: TARGET, soundtrack }),
    refLoudness: () => oneCommand(inputs, dir, 'ref-loudness.mp4'),
    refBoth: () => oneCommand(inputs, dir, 'ref-both.mp4', music),
  };
  // Each case RUNS times, the cases taking turns, so a busy moment of the machine falls on all of them.
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<keyof typeof cases, number[]>;
  for (let run = 0; run < RUNS; run++) {
    for (const [name, work] of Object.entries(cases) as Array<[keyof typeof cases, () => Promise<unknown>]>) times[name].push(await timed(work));
  }
  const [joinSec, loudnessSec, bothSec, refLoudnessSec, refBothSec] = [times.join, times.loudness, times.both, times.refLoudness, times.refBoth].map(middle);

  const facts = async (name: string) => {
    const path = join(dir, name);
    const [whole, first, second] = await Promise.all([
      measureLoudness(path),
      measureLoudness(path, { fromSec: 0.5, lengthSec: 9 }),
      measureLoudness(path, { fromSec: 10.5, lengthSec: 9 }),
    ]);
    return `${whole.integratedLufs.toFixed(1)} LUFS, ${whole.truePeakDb.toFixed(1)} dBTP, clips 1/2 ${Math.abs(second.integratedLufs - first.integratedLufs).toFixed(1)} LU apart`;
  };
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  row([
    `${CLIPS} × 720p30 10 s, sound alternating -24/-13 LUFS: the join alone (median of ${RUNS}, the cases below taking turns; method ${method})`,
    s(joinSec),
    '—',
    '—',
    await facts('audio-plain.mp4'),
  ]);
  const goal = 'target ±1 LU, ≤ -1 dBTP';
  row([
    `same + \`loudness\` -16/-1: audio pass ${s(loudnessSec - joinSec)} (${x(loudnessSec - joinSec, joinSec)} the join)`,
    s(loudnessSec),
    `one ffmpeg command, concat copy + one-pass \`loudnorm\` ${s(refLoudnessSec)}`,
    x(loudnessSec, refLoudnessSec),
    `${goal}; ours: ${await facts('audio-loudness.mp4')}; reference: ${await facts('ref-loudness.mp4')}`,
  ]);
  row([
    `same + \`soundtrack\` (30 s MP3 looped, ducked) + \`loudness\`: audio pass ${s(bothSec - joinSec)} (${x(bothSec - joinSec, joinSec)} the join)`,
    s(bothSec),
    `one ffmpeg command, concat copy + the same mix + one-pass \`loudnorm\` ${s(refBothSec)}`,
    x(bothSec, refBothSec),
    `${goal}; ours: ${await facts('audio-both.mp4')}; reference: ${await facts('ref-both.mp4')}`,
  ]);
}

/** The clip with its sound raised or lowered by `gainDb`, its picture copied. */
async function withGain(clip: string, gainDb: number, path: string): Promise<string> {
  await runFfmpeg({
    inputs: [{ source: clip }],
    output: path,
    outputOptions: ['-map', '0', '-c:v', 'copy', '-af', `volume=${gainDb}dB`, '-c:a', 'aac', '-b:a', AAC_BITRATE],
  });
  return path;
}

async function oneCommand(inputs: string[], dir: string, name: string, music?: string): Promise<void> {
  const list = join(dir, 'audio.ffconcat');
  await writeFile(list, 'ffconcat version 1.0\n' + inputs.map((p) => `file '${p}'`).join('\n') + '\n');
  const lengthSec = inputs.length * 10;
  const graph = music
    ? `[1:a]aresample=48000,volume=0.25,afade=t=out:st=${lengthSec - 2}:d=2[m];[0:a]asplit[v][k];[m][k]${DUCK}[d];[v][d]amix=inputs=2:duration=first:normalize=0,${ONE_PASS_LOUDNORM}[a]`
    : `[0:a]${ONE_PASS_LOUDNORM}[a]`;
  await runFfmpeg({
    inputs: [{ source: list, format: 'concat' }, ...(music ? [{ source: music, options: ['-stream_loop', '-1'] }] : [])],
    output: join(dir, name),
    outputOptions: ['-filter_complex', graph, '-map', '0:v', '-map', '[a]', '-c:v', 'copy', '-c:a', 'aac', '-b:a', AAC_BITRATE, '-movflags', '+faststart'],
  });
}
