import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg, runFfprobe } from '../src/ffmpeg/ffmpeg-runner';

const RATE = 48000;

/** The mean colour of the decoded picture shown at `atSec` (8-bit RGB). */
export async function meanColourAt(path: string, atSec: number, dir: string): Promise<{ r: number; g: number; b: number }> {
  const out = join(dir, `rgb-${Date.now()}-${Math.random().toString(36).slice(2)}.rgb`);
  await runFfmpeg({
    inputs: [{ source: path, options: ['-ss', atSec.toFixed(4)] }],
    output: out,
    outputOptions: ['-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo'],
  });
  const bytes = await readFile(out);
  const sum = [0, 0, 0];
  for (let i = 0; i < bytes.length; i++) sum[i % 3] += bytes[i];
  const pixels = bytes.length / 3;
  return { r: sum[0] / pixels, g: sum[1] / pixels, b: sum[2] / pixels };
}

/** Amplitude of one frequency in a stretch of mono 48 kHz samples (Goertzel; a full-scale sine reads 1). */
export function toneAmplitude(samples: Float32Array, fromSec: number, toSec: number, hz: number): number {
  const [from, to] = [Math.round(fromSec * RATE), Math.round(toSec * RATE)];
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    const phase = (2 * Math.PI * hz * i) / RATE;
    re += samples[i] * Math.cos(phase);
    im += samples[i] * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

export function rms(samples: Float32Array, fromSec: number, toSec: number): number {
  const [from, to] = [Math.round(fromSec * RATE), Math.round(toSec * RATE)];
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / (to - from));
}

/**
 * Where a stretch of the output's sound comes from in a clip's own sound: the shift (in samples, within
 * ±maxLag) of `source` that best matches `output` from `outputSec` for `lengthSec`, taken from `sourceSec`.
 * Two stretches of one clip show the same lag exactly when its sound runs on without a jump between them.
 */
export function soundLag(
  output: Float32Array,
  outputSec: number,
  source: Float32Array,
  sourceSec: number,
  lengthSec: number,
  maxLag = 1200,
): { lag: number; correlation: number } {
  const [at, from, length] = [Math.round(outputSec * RATE), Math.round(sourceSec * RATE), Math.round(lengthSec * RATE)];
  let best = { lag: 0, correlation: -Infinity };
  let outEnergy = 0;
  for (let i = 0; i < length; i++) outEnergy += output[at + i] ** 2;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let dot = 0;
    let srcEnergy = 0;
    for (let i = 0; i < length; i++) {
      const s = source[from + i + lag] ?? 0;
      dot += output[at + i] * s;
      srcEnergy += s * s;
    }
    const correlation = dot / Math.sqrt(outEnergy * srcEnergy || 1);
    if (correlation > best.correlation) best = { lag, correlation };
  }
  return best;
}

/** Per video packet in decode order: its data hash and whether it is a key picture (ffprobe, nothing decoded). */
export async function videoPackets(path: string): Promise<Array<{ key: boolean; hash: string }>> {
  const csv = await runFfprobe({
    input: path,
    args: ['-select_streams', 'v:0', '-show_data_hash', 'MD5', '-show_entries', 'packet=flags,data_hash', '-of', 'csv=p=0'],
  });
  return csv
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [flags, hash] = line.split(',');
      return { key: flags.startsWith('K'), hash };
    });
}
