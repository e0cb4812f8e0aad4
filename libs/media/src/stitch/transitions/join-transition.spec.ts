import { MediaError } from '../media-error';
import { assertTransitionsFit, joinTransitions, transitionFrames } from './join-transition';

const FPS_25 = { num: 25, den: 1 };

describe('join transitions (pure)', () => {
  it("takes each clip's own transition over the job's, naming the field it came from", () => {
    expect(joinTransitions(4, { type: 'crossfade', duration: 1 }, [undefined, { type: 'fade', duration: 0.5 }])).toEqual([
      { type: 'crossfade', durationSec: 1, field: 'settings.transition' },
      { type: 'fade', durationSec: 0.5, field: 'assets[1].transition' },
      { type: 'crossfade', durationSec: 1, field: 'settings.transition' },
    ]);
    // Without a job-wide transition, only the clips that ask for one get one.
    expect(joinTransitions(3, undefined, [undefined, { type: 'fade', duration: 2 }])).toEqual([
      undefined,
      { type: 'fade', durationSec: 2, field: 'assets[1].transition' },
    ]);
    expect(joinTransitions(1, { type: 'crossfade', duration: 1 })).toEqual([]);
  });

  it('counts a transition in whole frames, at least one', () => {
    expect(transitionFrames({ type: 'crossfade', durationSec: 1, field: 'x' }, FPS_25)).toEqual({
      type: 'crossfade',
      overlap: 25,
      before: 25,
      after: 25,
      fadeFrames: 0,
    });
    // A fade: half out (ending on black), half in; it overlaps nothing.
    expect(transitionFrames({ type: 'fade', durationSec: 1, field: 'x' }, FPS_25)).toEqual({ type: 'fade', overlap: 0, before: 14, after: 13, fadeFrames: 13 });
    expect(transitionFrames({ type: 'crossfade', durationSec: 0.001, field: 'x' }, { num: 30000, den: 1001 }).overlap).toBe(1);
  });

  it('accepts transitions that fit, exactly filling a clip', () => {
    const frames = assertTransitionsFit(
      [50, 50, 50],
      [
        { type: 'crossfade', durationSec: 1, field: 'a' },
        { type: 'crossfade', durationSec: 1, field: 'b' },
      ],
      FPS_25,
    );
    expect(frames.map((f) => f?.overlap)).toEqual([25, 25]);
  });

  it('names the transition that does not fit, the clip, and the longest duration that would', () => {
    const error = (clips: number[], transitions: Parameters<typeof assertTransitionsFit>[1]) => {
      try {
        assertTransitionsFit(clips, transitions, FPS_25);
      } catch (e) {
        expect(e).toBeInstanceOf(MediaError);
        return { message: (e as Error).message, clipIndex: (e as MediaError).clipIndex, code: (e as MediaError).code };
      }
      throw new Error('fits');
    };
    // Too long for the clip after it.
    expect(error([100, 20], [{ type: 'crossfade', durationSec: 2, field: 'assets[0].transition' }])).toEqual({
      code: 'invalid_settings',
      clipIndex: 1,
      message: 'assets[0].transition.duration: a 2 s crossfade needs 2 s of clip 2, but clip 2 lasts 0.800 s; use at most 0.800 s there, or a longer clip.',
    });
    // Each fits alone, not both: the later one is named, with what the earlier takes.
    expect(
      error(
        [100, 40, 100],
        [
          { type: 'crossfade', durationSec: 1, field: 'settings.transition' },
          { type: 'fade', durationSec: 2, field: 'settings.transition' },
        ],
      ).message,
    ).toBe(
      'settings.transition.duration: a 2 s fade needs 1 s of clip 2 besides the 1 s that settings.transition takes from it, but clip 2 lasts 1.600 s; use at most 1.120 s there, or a longer clip.',
    );
    // Nothing left for the second one.
    expect(
      error(
        [100, 25, 100],
        [
          { type: 'crossfade', durationSec: 1, field: 'a' },
          { type: 'crossfade', durationSec: 0.5, field: 'b' },
        ],
      ).message,
    ).toMatch(/^b\.duration: .* use at most 0 s \(no transition\) there, or a longer clip\.$/);
  });
});
