import { cpus } from 'node:os';
import { join } from 'node:path';
import { CopyClip, inspectCopyClip, VISUAL_ENTRY_FIELDS } from '../copy-join/copy-clip';
import { sampleEntryChild } from '../copy-join/mp4-reader';
import { runPool } from '../run-pool';
import { frameSample, writeVideoSegment } from './clip-segment';
import { encodeSpan, SpanFiles } from './encode-span';
import { ClipCuts, JoinItem, Span, spanFrames } from './join-plan';
import { joinedFrames } from './join-transition';
import { TransitionJoinJob } from './transition-join';

/** Encoded pieces by what they were encoded from, so a new plan re-encodes only the pieces it changed. */
export class PieceCache {
  private readonly pieces = new Map<string, CopyClip>();
  private made = 0;

  key(items: JoinItem[], s: number, starts: number[]): string {
    // A piece depends on its span, on where the copied parts beside it start, and on where the copy join places their sound and its own.
    const start = (item: JoinItem | undefined) => (item && 'copy' in item ? [item.copy.clip, item.copy.from] : undefined);
    return JSON.stringify([items[s], start(items[s - 1]), start(items[s + 1]), starts[s - 1], starts[s], starts[s + 1]]);
  }

  get(key: string): CopyClip | undefined {
    return this.pieces.get(key);
  }

  set(key: string, piece: CopyClip): void {
    this.pieces.set(key, piece);
  }

  /** A file name no earlier piece has, so a kept piece is never overwritten. */
  nextName(): string {
    return `piece-${++this.made}`;
  }
}

/** Encodes the plan's pieces not encoded yet, `job.concurrency` at a time; returns every piece by item index. */
export async function encodePieces(
  job: TransitionJoinJob,
  clips: CopyClip[],
  cuts: ClipCuts[],
  items: JoinItem[],
  starts: number[],
  cache: PieceCache,
  reportProgress: boolean,
): Promise<CopyClip[]> {
  const spans = items.flatMap((item, s) => ('span' in item ? [{ s, span: item.span, key: cache.key(items, s, starts) }] : []));
  const pending = spans.filter(({ key }) => !cache.get(key));
  const concurrency = Math.max(1, Math.min(job.concurrency, pending.length));
  const threads = Math.max(1, Math.floor(cpus().length / concurrency));
  const levelIdc = avcLevel(clips[0]);
  const totalFrames = pending.reduce((sum, { span }) => sum + spanFrames(span), 0);
  const done = new Map<number, number>();
  const report = () => reportProgress && job.onProgress?.('join', (0.9 * [...done.values()].reduce((a, b) => a + b, 0)) / totalFrames);
  await runPool(pending, concurrency, async ({ s, span, key }) => {
    const name = cache.nextName();
    const piece = join(job.workDir, `${name}.mp4`);
    const sources = await spanSources(job, clips, cuts, items, s, starts, name);
    await encodeSpan({
      sources,
      joins: span.joins,
      target: job.target,
      levelIdc,
      threads,
      outputPath: piece,
      graphPath: join(job.workDir, `${name}.filtergraph`),
      faststart: false,
      signal: job.signal,
      onProgress: (f) => {
        done.set(s, f * spanFrames(span));
        report();
      },
    });
    const inspected = inspectCopyClip(piece);
    if (typeof inspected === 'string') throw new Error(`transition piece ${s} cannot be copied: ${inspected}`);
    cache.set(key, inspected);
  });
  const pieces: CopyClip[] = [];
  for (const { s, key } of spans) pieces[s] = cache.get(key)!;
  return pieces;
}

/**
 * The files each range of a span is encoded from: its pictures (written from the clip's samples, from
 * the key picture at or before the range, unless it is the whole clip) and the clip's sound, starting where the copied part it continues (or
 * that continues it) puts it, so the sound runs on across the cut without a jump.
 */
async function spanSources(
  job: TransitionJoinJob,
  clips: CopyClip[],
  cuts: ClipCuts[],
  items: JoinItem[],
  s: number,
  starts: number[],
  name: string,
): Promise<SpanFiles[]> {
  const { span } = items[s] as { span: Span };
  const [before, after] = [items[s - 1], items[s + 1]];
  const last = span.ranges.length - 1;
  return Promise.all(
    span.ranges.map(async (range, r) => {
      const clip = clips[range.clip];
      // A range that continues a copied part may start between key pictures: it is decoded from the one before.
      const decodeFrom = cuts[range.clip].starts.filter((c) => c <= range.from).pop()!;
      const whole = decodeFrom === 0 && range.to === clip.video.track.samples.count;
      const videoPath = whole ? clip.path : join(job.workDir, `${name}-range-${r}.mp4`);
      if (!whole) await writeVideoSegment(clip, decodeFrom, range.to, videoPath);
      const at = (frame: number) => frameSample(clip, frame);
      let audioFrom = at(range.from);
      if (r === 0 && before && 'copy' in before && before.copy.clip === range.clip) {
        // The copied part's sound starts at its own place in the output; the piece's continues from there.
        audioFrom = at(before.copy.from) + starts[s] - starts[s - 1];
      } else if (r === last && after && 'copy' in after && after.copy.clip === range.clip) {
        const rangeStart = at(
          joinedFrames(
            span.ranges.slice(0, r).map((q) => q.to - q.from),
            span.joins.slice(0, r),
          ),
        );
        audioFrom = at(after.copy.from) - (starts[s + 1] - starts[s] - rangeStart);
      }
      return { videoPath, skipFrames: range.from - decodeFrom, audioPath: clip.path, frames: range.to - range.from, audioFrom };
    }),
  );
}

/** The H.264 level the clip declares (avcC AVCLevelIndication). */
function avcLevel(clip: CopyClip): number | undefined {
  return sampleEntryChild(clip.video.track.sampleEntries[0], VISUAL_ENTRY_FIELDS, 'avcC')?.[3];
}
