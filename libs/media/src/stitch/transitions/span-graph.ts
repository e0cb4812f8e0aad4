import { formatRational, Rational } from '../rational';
import { TransitionFrames } from './join-transition';

/** One clip's part of a span, as ffmpeg inputs. */
export interface SpanSource {
  /** Input whose first video stream holds this range's pictures, after `skipFrames` (decoded, not shown). */
  video: number;
  skipFrames: number;
  /** Input whose first audio stream is the clip's whole sound; undefined: silence. */
  audio?: number;
  frames: number;
  /** Sample of the clip's sound where the range's sound starts; negative starts with silence. */
  audioFrom: number;
}

export interface SpanGraphJob {
  sources: SpanSource[];
  /** Between each two sources; undefined is a cut. */
  joins: Array<TransitionFrames | undefined>;
  rate: Rational;
  sampleRate: number;
  channels: number;
}

/**
 * Pure: a filtergraph that lays the sources end to end with their transitions, as `[v]` and `[a]`.
 * Picture: only the frames a crossfade mixes are blended, the rest pass untouched; a fade darkens the
 * last frames before the join to black and brightens those after it.
 * Sound: each range cut to its exact share of samples (so nothing drifts), crossfaded (acrossfade)
 * over the same overlap, or faded out and in around the join.
 */
export function spanGraph(job: SpanGraphJob): string {
  const { sources, joins, rate, sampleRate } = job;
  const samplesAt = (frame: number) => Math.round((frame * sampleRate * rate.den) / rate.num);
  const starts = [0];
  for (const [i, source] of sources.entries()) starts.push(starts[i] + source.frames - (joins[i]?.overlap ?? 0));
  const total = starts[sources.length];
  const lines: string[] = [];
  const pictures: string[] = [];
  for (const [i, source] of sources.entries()) {
    const head = joins[i - 1]?.overlap ?? 0;
    const tail = joins[i]?.overlap ?? 0;
    const solo = source.frames - head - tail;
    const fades = [
      ...(joins[i - 1]?.type === 'fade' ? [`fade=t=in:s=0:n=${joins[i - 1]!.fadeFrames}`] : []),
      ...(joins[i]?.type === 'fade' ? [`fade=t=out:s=${solo - 1 - joins[i]!.fadeFrames}:n=${joins[i]!.fadeFrames}`] : []),
    ];
    const parts = [
      head > 0 && { label: `h${i}`, from: 0, to: head, filters: [] as string[] },
      solo > 0 && { label: `s${i}`, from: head, to: head + solo, filters: fades },
      tail > 0 && { label: `t${i}`, from: head + solo, to: source.frames, filters: [] as string[] },
    ].filter((p): p is { label: string; from: number; to: number; filters: string[] } => !!p);
    const split = parts.length > 1 ? `,split=${parts.length}${parts.map((p) => `[${p.label}in]`).join('')}` : `[${parts[0].label}in]`;
    const skip = source.skipFrames > 0 ? `,trim=start_frame=${source.skipFrames},setpts=PTS-STARTPTS` : '';
    lines.push(`[${source.video}:v:0]setpts=PTS-STARTPTS,fps=${formatRational(rate)},format=yuv420p,setsar=1${skip}${split}`);
    for (const part of parts) {
      lines.push(
        `[${part.label}in]${['trim=start_frame=' + part.from + ':end_frame=' + part.to, 'setpts=PTS-STARTPTS', ...part.filters].join(',')}[${part.label}]`,
      );
    }
    if (solo > 0) pictures.push(`[s${i}]`);
    if (tail > 0) {
      // The mix as xfade's fade makes it, but in 4:2:0 (xfade converts to 4:4:4 and back): the next clip's
      // frames, their opacity rising frame by frame, laid over this clip's.
      lines.push(`[h${i + 1}]format=yuva420p,fade=t=in:s=0:n=${tail}:alpha=1[o${i}]`);
      lines.push(`[t${i}][o${i}]overlay=format=yuv420:eof_action=pass[x${i}]`);
      pictures.push(`[x${i}]`);
    }
  }
  // Frames are numbered afresh at the target rate, whatever end each part's filter declares.
  lines.push(`${pictures.join('')}concat=n=${pictures.length}:v=1:a=0,settb=expr=${rate.den}/${rate.num},setpts=N,fps=${formatRational(rate)}[v]`);

  const layout = job.channels === 1 ? 'mono' : 'stereo';
  let sound = '';
  for (const [i, source] of sources.entries()) {
    const length = samplesAt(starts[i] + source.frames) - samplesAt(starts[i]);
    const fadeIn = joins[i - 1]?.type === 'fade' ? samplesAt(starts[i] + joins[i - 1]!.fadeFrames) - samplesAt(starts[i]) : 0;
    const fadeOut = joins[i]?.type === 'fade' ? length - (samplesAt(starts[i] + source.frames - joins[i]!.before) - samplesAt(starts[i])) : 0;
    const from = source.audioFrom;
    const cut =
      source.audio === undefined
        ? [`anullsrc=r=${sampleRate}:cl=${layout}`, `atrim=end_sample=${length}`]
        : [
            `[${source.audio}:a:0]aresample=${sampleRate}:async=1:first_pts=0`,
            `aformat=sample_fmts=fltp:sample_rates=${sampleRate}:channel_layouts=${layout}`,
            'apad',
            `atrim=start_sample=${Math.max(0, from)}:end_sample=${from + length}`,
            ...(from < 0 ? [`adelay=delays=${-from}S:all=1`] : []),
          ];
    lines.push(
      [
        ...cut,
        'asetpts=N/SR/TB',
        ...(fadeIn > 0 ? [`afade=t=in:ss=0:ns=${fadeIn}`] : []),
        ...(fadeOut > 0 ? [`afade=t=out:ss=${length - fadeOut}:ns=${fadeOut}`] : []),
      ].join(',') + `[a${i}]`,
    );
    if (i === 0) {
      sound = '[a0]';
      continue;
    }
    const join = joins[i - 1];
    const overlap = join?.overlap ? samplesAt(starts[i] + join.overlap) - samplesAt(starts[i]) : 0;
    lines.push(`${sound}[a${i}]${overlap > 0 ? `acrossfade=ns=${overlap}:c1=tri:c2=tri` : 'concat=n=2:v=0:a=1'}[c${i}]`);
    sound = `[c${i}]`;
  }
  const samples = samplesAt(total);
  lines.push(`${sound}apad=whole_len=${samples},atrim=end_sample=${samples},asetpts=N/SR/TB[a]`);
  return lines.join(';\n');
}
