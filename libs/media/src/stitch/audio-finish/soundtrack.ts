import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegError, FfmpegInput, runFfmpeg } from '../../ffmpeg/ffmpeg-runner';
import { MediaError } from '../media-error';
import { probeSoundtrack } from '../probe-media';
import { AudioShape, channelLayout } from './finish-graph';

const BYTES_PER_SAMPLE = 4;
/** Each end of a looped soundtrack fades over 5 ms, so the seam where it starts again never clicks. */
const SEAM_SEC = 0.005;

/**
 * Decodes the music once, in the joined sound's rate and channels, up to the join's length, to raw
 * float PCM in `dir`. Looping the decoded samples (not the compressed file, whose encoder delay
 * and padding would leave a gap at every repeat) plays it seamlessly. Returns ffmpeg's input for it:
 * looped for ever when shorter than the join (the graph cuts it), else as it is.
 */
export async function prepareSoundtrack(source: string, shape: AudioShape, dir: string, signal?: AbortSignal): Promise<FfmpegInput> {
  const audio = await probeSoundtrack(source, signal);
  const pcm = join(dir, 'soundtrack.f32');
  const layout = channelLayout(shape.channels);
  try {
    await runFfmpeg({
      inputs: [{ source }],
      output: pcm,
      outputOptions: [
        '-map',
        `0:${audio.index}`,
        '-t',
        (shape.samples / shape.sampleRate + 0.1).toFixed(6),
        '-af',
        `aresample=${shape.sampleRate},aformat=sample_fmts=flt:channel_layouts=${layout}`,
        '-f',
        'f32le',
      ],
      signal,
    });
  } catch (error) {
    if (signal?.aborted || !(error instanceof FfmpegError)) throw error;
    throw new MediaError(
      'corrupt',
      `The soundtrack (settings.soundtrack.src) could not be decoded (${error.message.replace(/^ffmpeg failed: /, '')}); re-export or re-upload it.`,
    );
  }
  const frames = (await stat(pcm)).size / (BYTES_PER_SAMPLE * shape.channels);
  if (frames < 1)
    throw new MediaError(
      'corrupt',
      'The soundtrack (settings.soundtrack.src) has an audio stream but no sound could be decoded from it; re-export or re-upload it.',
    );
  const loop = frames < shape.samples;
  if (loop) await fadeEnds(pcm, frames, shape);
  return { source: pcm, options: ['-f', 'f32le', '-ar', String(shape.sampleRate), '-ch_layout', layout, ...(loop ? ['-stream_loop', '-1'] : [])] };
}

/** Fades the first and last few milliseconds of interleaved float PCM in place. */
async function fadeEnds(path: string, frames: number, shape: AudioShape): Promise<void> {
  const fadeFrames = Math.max(1, Math.min(Math.round(SEAM_SEC * shape.sampleRate), Math.floor(frames / 2)));
  const bytes = fadeFrames * shape.channels * BYTES_PER_SAMPLE;
  const file = await open(path, 'r+');
  try {
    for (const [offset, gain] of [
      [0, (i: number) => i / fadeFrames],
      [(frames - fadeFrames) * shape.channels * BYTES_PER_SAMPLE, (i: number) => (fadeFrames - 1 - i) / fadeFrames],
    ] as const) {
      const { buffer } = await file.read(Buffer.alloc(bytes), 0, bytes, offset);
      for (let frame = 0; frame < fadeFrames; frame++) {
        for (let channel = 0; channel < shape.channels; channel++) {
          const at = (frame * shape.channels + channel) * BYTES_PER_SAMPLE;
          buffer.writeFloatLE(buffer.readFloatLE(at) * gain(frame), at);
        }
      }
      await file.write(buffer, 0, bytes, offset);
    }
  } finally {
    await file.close();
  }
}
