import { ClipCuts, JoinItem, planJoin, Span, spanFrames } from './join-plan';
import { TransitionFrames } from './join-transition';

const crossfade = (frames: number): TransitionFrames => ({ type: 'crossfade', overlap: frames, before: frames, after: frames, fadeFrames: 0 });
const fade = (fadeFrames: number): TransitionFrames => ({ type: 'fade', overlap: 0, before: fadeFrames + 1, after: fadeFrames, fadeFrames });
/** A clip of `frames` with a key picture every `gop` frames, and B-frame groups of `group` frames (a part can end after any). */
const clip = (frames: number, gop: number, group = gop): ClipCuts => ({
  frames,
  starts: Array.from({ length: Math.ceil(frames / gop) }, (_, i) => i * gop),
  ends: Array.from({ length: Math.ceil(frames / group) }, (_, i) => Math.min(frames, (i + 1) * group)),
});
const MIN = 15;

/** The plan as text: c<clip>[from,to) for copies, a span as its ranges joined by its transitions. */
function planned(items: JoinItem[]): string[] {
  return items.map((item) =>
    'copy' in item
      ? `c${item.copy.clip}[${item.copy.from},${item.copy.to})`
      : item.span.ranges.map((r, i) => `${i ? (item.span.joins[i - 1]?.type ?? 'cut') + ' ' : ''}${r.clip}[${r.from},${r.to})`).join(' '),
  );
}

describe('planJoin (pure)', () => {
  it('copies up to the last B-frame group before each transition and from the first key picture after it', () => {
    const items = planJoin([clip(300, 60, 4), clip(300, 60, 4), clip(300, 60, 4)], [crossfade(30), fade(15)], MIN);
    expect(planned(items)).toEqual(['c0[0,268)', '0[268,300) crossfade 1[0,60)', 'c1[60,284)', '1[284,300) fade 2[0,60)', 'c2[60,300)']);
    // A piece holds what its transition needs, the frames to the next key picture, and under a group before it.
    expect(spanFrames((items[1] as { span: Span }).span)).toBe(32 + 60 - 30);
  });

  it('leaves joins without a transition to the copy join, whole clips and all', () => {
    expect(planned(planJoin([clip(100, 25), clip(100, 25), clip(100, 25)], [undefined, crossfade(10)], MIN))).toEqual([
      'c0[0,100)',
      'c1[0,75)',
      '1[75,100) crossfade 2[0,25)',
      'c2[25,100)',
    ]);
  });

  it('re-encodes a clip whole when no key picture leaves a copy between its transitions', () => {
    // x264's default GOP: the middle clip's only key picture is its first.
    expect(planned(planJoin([clip(300, 250), clip(300, 250), clip(300, 250)], [crossfade(30), crossfade(30)], MIN))).toEqual([
      'c0[0,250)',
      '0[250,300) crossfade 1[0,300) crossfade 2[0,250)',
      'c2[250,300)',
    ]);
  });

  it('drops a copy shorter than the minimum into the pieces around it', () => {
    // Clip 1's copy would be [25, 35): too short to keep its own sound between two splices.
    expect(
      planned(planJoin([clip(100, 25), { frames: 60, starts: [0, 25, 35], ends: [25, 35, 60] }, clip(100, 25)], [crossfade(20), crossfade(20)], MIN)),
    ).toEqual(['c0[0,75)', '0[75,100) crossfade 1[0,60) crossfade 2[0,25)', 'c2[25,100)']);
  });

  it('grows a piece that would be too short on the cheaper side', () => {
    // A 2-frame crossfade with cut points right at it: the piece would be 10 frames long.
    const items = planJoin([clip(100, 2), clip(100, 10)], [crossfade(2)], MIN);
    expect(items.every((item) => 'copy' in item || spanFrames(item.span) >= MIN)).toBe(true);
    // Clip 0 gives up key pictures 2 frames apart, cheaper than clip 1's 10.
    expect(planned(items)).toEqual(['c0[0,92)', '0[92,100) crossfade 1[0,10)', 'c1[10,100)']);
  });

  it('makes the whole join one piece when nothing can be copied', () => {
    expect(
      planned(
        planJoin(
          [
            { frames: 20, starts: [0], ends: [20] },
            { frames: 20, starts: [0], ends: [20] },
          ],
          [fade(5)],
          MIN,
        ),
      ),
    ).toEqual(['0[0,20) fade 1[0,20)']);
  });
});
