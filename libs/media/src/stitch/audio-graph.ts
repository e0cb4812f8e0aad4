import { MediaInfo } from './media-info';

export interface AudioSegment {
  /** ffmpeg input number that carries this clip's audio, or undefined to use silence. */
  input?: number;
  clip: MediaInfo;
  /** Exact length in samples: this clip's share of the video timeline. */
  samples: number;
}

/**
 * Pure: splits the joined video timeline into per-clip sample counts. Counts come from rounding the
 * running end time, never each duration alone, so rounding cannot accumulate into drift.
 */
export function audioSegments(clips: MediaInfo[], videoDurationsSec: number[], sampleRate: number, firstInput: number): AudioSegment[] {
  let input = firstInput;
  let elapsed = 0;
  return clips.map((clip, i) => {
    const start = Math.round(elapsed * sampleRate);
    elapsed += videoDurationsSec[i];
    const samples = Math.round(elapsed * sampleRate) - start;
    return { clip, samples, input: clip.audio ? input++ : undefined };
  });
}

/**
 * Pure: one filtergraph that decodes every clip's audio, aligns it to that clip's video start, fills
 * holes and missing audio with silence, cuts it to the clip's exact sample count and joins the pieces.
 * Encoding the result once gives a single AAC priming delay instead of one per join.
 */
export function audioFilterGraph(segments: AudioSegment[], sampleRate: number, channels: number, output: string): string {
  const layout = channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels}c`;
  const format = `aformat=sample_fmts=fltp:sample_rates=${sampleRate}:channel_layouts=${layout}`;
  const lines = segments.map((segment, i) => {
    const cut = `atrim=end_sample=${segment.samples},asetpts=N/SR/TB,${format}[a${i}]`;
    if (segment.input === undefined) return `anullsrc=r=${sampleRate}:cl=${layout},${cut}`;
    // Input timestamps are relative to the container start; the clip's picture starts at videoOffset.
    const videoOffset = Math.max(0, segment.clip.video.startSec - segment.clip.startSec);
    const align = videoOffset > 0 ? `atrim=start=${videoOffset.toFixed(6)},asetpts=PTS-${videoOffset.toFixed(6)}/TB,` : '';
    // async=1 pads gaps (and a late start) with silence so later audio keeps its timestamps.
    return `[${segment.input}:a:0]${align}aresample=${sampleRate}:async=1:first_pts=0,${format},apad,${cut}`;
  });
  const joined = segments.map((_, i) => `[a${i}]`).join('');
  return [...lines, `${joined}concat=n=${segments.length}:v=0:a=1[${output}]`].join(';\n');
}
