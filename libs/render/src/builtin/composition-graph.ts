import type { FfmpegInput } from '@vrs/media';
import { fontFilePath } from '../fonts/shipped-fonts';
import { CODEC_PROFILES } from '../settings/output-codecs';
import type { RenderSettings } from '../settings/render-settings';
import type { Composition, Layer, TextLayer } from '../template/template-schema';
import { escapeFilterValue as esc, num } from './filter-escaping';
import type { LocalMedia } from './local-media';

export const AUDIO_SAMPLE_RATE = 48_000;

/** The composition with its media downloaded and its texts written to files. */
export interface PreparedComposition {
  composition: Composition;
  background?: LocalMedia;
  /** Local media by layer index. */
  layerMedia: Map<number, LocalMedia>;
  /** The file holding each text layer's text, by layer index. */
  textFiles: Map<number, string>;
}

export interface CompositionCommand {
  inputs: FfmpegInput[];
  outputOptions: string[];
  outputDurationSec: number;
}

/**
 * One ffmpeg command that draws the composition: a `color` source sets size, rate and exact length,
 * a background image/video and image/video layers are overlaid with their timing and position, text
 * layers are drawtext from files, and audio is mixed over `anullsrc` so there is always a stereo
 * 48 kHz track. The requested frame range is trimmed at the end, so frame numbers are exact.
 */
export function buildCompositionCommand(prepared: PreparedComposition, settings: RenderSettings): CompositionCommand {
  const { composition: c } = prepared;
  const totalFrames = Math.round(c.durationSec * c.fps);
  const durationSec = totalFrames / c.fps;
  const graph = new GraphBuilder();

  const base = graph.input({ source: `color=c=${hex(c.background.color)}:s=${c.width}x${c.height}:r=${num(c.fps)}:d=${num(durationSec)}`, format: 'lavfi' });
  const silence = graph.input({ source: `anullsrc=r=${AUDIO_SAMPLE_RATE}:cl=stereo`, format: 'lavfi', options: ['-t', num(durationSec)] });
  let video = `${base}:v`;
  const audio = [`${silence}:a`];

  if (prepared.background) {
    const bg = prepared.background;
    const index = graph.input(
      bg.kind === 'image' ? stillInput(bg.path, c.fps, durationSec) : { source: bg.path, options: ['-stream_loop', '-1', '-t', num(durationSec)] },
    );
    const cover = graph.chain(
      `${index}:v`,
      `setpts=PTS-STARTPTS,scale=${c.width}:${c.height}:force_original_aspect_ratio=increase,crop=${c.width}:${c.height},setsar=1`,
    );
    video = graph.chain([video, cover], 'overlay=0:0');
  }

  c.layers.forEach((layer, index) => {
    const start = layer.start ?? 0;
    const end = layer.end ?? durationSec;
    const shown = `enable=${esc(`gte(t,${num(start)})*lt(t,${num(end)})`)}`;
    if (layer.type === 'text') {
      const textFile = prepared.textFiles.get(index);
      if (textFile) video = graph.chain(video, `${drawtext(layer, textFile, start, end)}:${shown}`);
      return;
    }
    const media = prepared.layerMedia.get(index);
    if (!media) throw new Error(`layer ${layer.layerName} has no local media`);
    const input = graph.input(media.kind === 'image' ? stillInput(media.path, c.fps, end) : { source: media.path, options: ['-t', num(end - start)] });
    if (layer.type !== 'image' && media.hasAudio) audio.push(graph.chain(`${input}:a`, audioChain(layer.volume, start, end, layer)));
    if (layer.type === 'audio') return;
    const shift = layer.type === 'video' ? `setpts=PTS-STARTPTS+${num(start)}/TB,` : '';
    const size = layer.width || layer.height ? `scale=${layer.width ?? -1}:${layer.height ?? -1},` : '';
    const picture = graph.chain(`${input}:v`, `${shift}${size}format=rgba${fadeFilters(layer, start, end)}`);
    video = graph.chain([video, picture], `overlay=x=${esc(axis(layer.x, 'W-w'))}:y=${esc(axis(layer.y, 'H-h'))}:eof_action=pass:${shown}`);
  });

  const frames = settings.frames ?? { start: 0, end: totalFrames - 1 };
  const outputFrames = frames.end - frames.start + 1;
  const outWidth = even(c.width * settings.scale);
  const outHeight = even(c.height * settings.scale);
  const resize = settings.scale === 1 ? '' : `,scale=${outWidth}:${outHeight}`;
  graph.chain(video, `trim=start_frame=${frames.start}:end_frame=${frames.end + 1},setpts=PTS-STARTPTS${resize},format=yuv420p`, 'vout');
  const startSample = Math.round((frames.start / c.fps) * AUDIO_SAMPLE_RATE);
  const endSample = Math.round(((frames.end + 1) / c.fps) * AUDIO_SAMPLE_RATE);
  const mixed = audio.length === 1 ? audio[0] : graph.chain(audio, `amix=inputs=${audio.length}:duration=first:dropout_transition=0:normalize=0`);
  graph.chain(
    mixed,
    `atrim=start_sample=${startSample}:end_sample=${endSample},asetpts=PTS-STARTPTS,aformat=sample_fmts=fltp:sample_rates=${AUDIO_SAMPLE_RATE}:channel_layouts=stereo`,
    'aout',
  );

  const profile = CODEC_PROFILES[settings.codec];
  return {
    inputs: graph.inputs,
    outputOptions: [
      '-filter_complex',
      graph.text(),
      '-map',
      '[vout]',
      '-map',
      '[aout]',
      ...profile.videoOptions(settings.speed),
      '-pix_fmt',
      'yuv420p',
      '-r',
      num(c.fps),
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-ar',
      String(AUDIO_SAMPLE_RATE),
      '-ac',
      '2',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
    ],
    outputDurationSec: outputFrames / c.fps,
  };
}

function stillInput(path: string, fps: number, durationSec: number): FfmpegInput {
  // image2 with pattern_type none: the path is taken literally, never as a %d sequence.
  return { source: path, options: ['-f', 'image2', '-pattern_type', 'none', '-loop', '1', '-framerate', num(fps), '-t', num(durationSec)] };
}

function drawtext(layer: TextLayer, textFile: string, start: number, end: number): string {
  const options = [
    `fontfile=${esc(fontFilePath(layer.font))}`,
    `textfile=${esc(textFile)}`,
    // expansion=none: %{...} sequences in the user's text are drawn as typed, never evaluated.
    'expansion=none',
    `fontsize=${layer.fontSize}`,
    `fontcolor=${hex(layer.color)}`,
    `x=${esc(axis(layer.x, 'w-text_w'))}`,
    `y=${esc(axis(layer.y, 'h-text_h'))}`,
  ];
  const alpha = fadeAlpha(layer.fadeInSec, layer.fadeOutSec, start, end);
  if (alpha) options.push(`alpha=${esc(alpha)}`);
  return `drawtext=${options.join(':')}`;
}

/** Opacity over time for a fading text layer; undefined when it does not fade. */
function fadeAlpha(fadeIn = 0, fadeOut = 0, start: number, end: number): string | undefined {
  const ramps = [fadeIn > 0 ? `(t-${num(start)})/${num(fadeIn)}` : '', fadeOut > 0 ? `(${num(end)}-t)/${num(fadeOut)}` : ''].filter(Boolean);
  if (ramps.length === 0) return undefined;
  return `clip(${ramps.length === 2 ? `min(${ramps[0]},${ramps[1]})` : ramps[0]},0,1)`;
}

function fadeFilters(layer: Layer, start: number, end: number): string {
  const fadeIn = layer.fadeInSec ?? 0;
  const fadeOut = layer.fadeOutSec ?? 0;
  return (
    (fadeIn > 0 ? `,fade=t=in:st=${num(start)}:d=${num(fadeIn)}:alpha=1` : '') +
    (fadeOut > 0 ? `,fade=t=out:st=${num(end - fadeOut)}:d=${num(fadeOut)}:alpha=1` : '')
  );
}

function audioChain(volume: number, start: number, end: number, layer: Layer): string {
  const fadeIn = layer.fadeInSec ?? 0;
  const fadeOut = layer.fadeOutSec ?? 0;
  const delayMs = Math.round(start * 1000);
  return [
    `aresample=${AUDIO_SAMPLE_RATE}`,
    `aformat=sample_fmts=fltp:channel_layouts=stereo`,
    `volume=${num(volume)}`,
    ...(fadeIn > 0 ? [`afade=t=in:st=0:d=${num(fadeIn)}`] : []),
    ...(fadeOut > 0 ? [`afade=t=out:st=${num(end - start - fadeOut)}:d=${num(fadeOut)}`] : []),
    `adelay=${delayMs}:all=1`,
  ].join(',');
}

/** `center` becomes the expression that centres the layer; numbers are pixels from the top-left. */
function axis(value: number | 'center', free: string): string {
  return value === 'center' ? `(${free})/2` : num(value);
}

function hex(colour: string): string {
  return `0x${colour.slice(1)}`;
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

/** Collects inputs and labelled filter chains into one -filter_complex graph. */
class GraphBuilder {
  readonly inputs: FfmpegInput[] = [];
  private readonly chains: string[] = [];
  private labels = 0;

  /** Adds an input and returns its index. */
  input(input: FfmpegInput): number {
    return this.inputs.push(input) - 1;
  }

  /** Adds `[in...]filters[out]` and returns the output label. */
  chain(from: string | string[], filters: string, out = `s${this.labels++}`): string {
    const sources = (Array.isArray(from) ? from : [from]).map((label) => `[${label}]`).join('');
    this.chains.push(`${sources}${filters}[${out}]`);
    return out;
  }

  text(): string {
    return this.chains.join(';');
  }
}
