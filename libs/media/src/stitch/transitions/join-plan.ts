import { joinedFrames, TransitionFrames } from './join-transition';

/** Frames [from, to) of clip `clip`, in display order. */
export interface FrameRange {
  clip: number;
  from: number;
  to: number;
}

/** Consecutive ranges re-encoded as one piece, with the join between each two (undefined: a cut). */
export interface Span {
  ranges: FrameRange[];
  joins: Array<TransitionFrames | undefined>;
}

/** The joined output in order: ranges copied as they are, and spans re-encoded around the transitions. */
export type JoinItem = { copy: FrameRange } | { span: Span };

/** Where a clip can be cut, ascending (see cutPoints). */
export interface ClipCuts {
  frames: number;
  /** Frames a copied part can start at (IDR pictures that split the frames cleanly); 0 is one. */
  starts: number[];
  /** Frames a copied part can end before (its samples so far show exactly the frames before); `frames` is one. */
  ends: number[];
}

/**
 * Pure: what to copy and what to re-encode. Each clip with a transition on a side is copied only from
 * its first start after what the transition takes at its beginning (a key picture) to its last end
 * before what the transition takes at its end (within a few frames of it); the rest, with the
 * transitions, is re-encoded. Every item is at least
 * `minFrames` long (the copy join's sound splices need room), so short pieces grow outwards and
 * copies too short to keep are re-encoded too.
 */
export function planJoin(clips: ClipCuts[], joins: Array<TransitionFrames | undefined>, minFrames: number): JoinItem[] {
  const copies = clips.map((clip, k): FrameRange | undefined => {
    const [incoming, outgoing] = [joins[k - 1], joins[k]];
    if (!incoming && !outgoing) return { clip: k, from: 0, to: clip.frames };
    const from = incoming ? clip.starts.find((c) => c >= incoming.after) : 0;
    const to = outgoing ? clip.ends.filter((c) => c <= clip.frames - outgoing.before).pop() : clip.frames;
    return from !== undefined && to !== undefined && to - from >= minFrames ? { clip: k, from, to } : undefined;
  });
  for (;;) {
    const items = joinItems(clips, joins, copies);
    const short = items.findIndex((item) => 'span' in item && spanFrames(item.span) < minFrames && items.length > 1);
    if (short < 0) return items;
    growSpan(clips, copies, items[short - 1], items[short + 1], minFrames);
  }
}

/** Output frames of a span: its ranges less the crossfades' overlaps. */
export function spanFrames(span: Span): number {
  return joinedFrames(
    span.ranges.map((r) => r.to - r.from),
    span.joins,
  );
}

function joinItems(clips: ClipCuts[], joins: Array<TransitionFrames | undefined>, copies: Array<FrameRange | undefined>): JoinItem[] {
  const items: JoinItem[] = [];
  let span: Span | undefined;
  const add = (range: FrameRange) => {
    if (range.to <= range.from) return;
    if (!span) span = { ranges: [range], joins: [] };
    else {
      span.joins.push(joins[range.clip - 1]);
      span.ranges.push(range);
    }
  };
  const close = () => {
    if (span) items.push({ span });
    span = undefined;
  };
  for (const [k, clip] of clips.entries()) {
    const copy = copies[k];
    add({ clip: k, from: 0, to: copy ? copy.from : clip.frames });
    if (!copy) continue;
    close();
    items.push({ copy });
    add({ clip: k, from: copy.to, to: clip.frames });
  }
  close();
  return items;
}

/** Moves a copy boundary next to a short span outwards by one cut point (the cheaper side), dropping a copy that gets too short. */
function growSpan(
  clips: ClipCuts[],
  copies: Array<FrameRange | undefined>,
  before: JoinItem | undefined,
  after: JoinItem | undefined,
  minFrames: number,
): void {
  const options: Array<{ cost: number; apply: () => void }> = [];
  if (before && 'copy' in before) {
    const { clip, from, to } = before.copy;
    const earlier = clips[clip].ends.filter((c) => c < to).pop();
    const keep = earlier !== undefined && earlier - from >= minFrames;
    options.push({
      cost: keep ? to - earlier : to - from,
      apply: () => {
        copies[clip] = keep ? { clip, from, to: earlier } : undefined;
      },
    });
  }
  if (after && 'copy' in after) {
    const { clip, from, to } = after.copy;
    const later = clips[clip].starts.find((c) => c > from);
    const keep = later !== undefined && to - later >= minFrames;
    options.push({
      cost: keep ? later - from : to - from,
      apply: () => {
        copies[clip] = keep ? { clip, from: later, to } : undefined;
      },
    });
  }
  options.sort((a, b) => a.cost - b.cost)[0].apply();
}
