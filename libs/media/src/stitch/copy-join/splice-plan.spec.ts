import { planSplices, SPLICE_CANDIDATES, SpliceClip } from './splice-plan';

const F = 1024;
/** A 10 s clip at 30 fps with ffmpeg's AAC encoder delay, as 48 kHz samples. */
const clip = (overrides: Partial<SpliceClip> = {}): SpliceClip => ({ priming: 1024, frames: 470, length: 480_000, videoSamples: 480_000, ...overrides });

describe('planSplices (pure)', () => {
  it("puts every clip on the first clip's frame grid within half a frame of its video, never drifting", () => {
    const clips = Array.from({ length: 50 }, (_, i) => clip({ videoSamples: 480_000 + (i % 3) * 533.3, priming: i % 4 === 0 ? 2112 : 1024 }));
    const plan = planSplices(clips);
    if (typeof plan === 'string') throw new Error(plan);
    let ideal = 0;
    clips.forEach((c, k) => {
      expect(Math.abs(plan.starts[k] - Math.round(ideal))).toBeLessThanOrEqual(F / 2);
      // Copied frame 0 of the clip lands exactly on an output frame boundary.
      expect((plan.starts[k] + clips[0].priming - c.priming) / F).toBe(plan.bases[k]);
      ideal += c.videoSamples;
    });
    expect(plan.presentedSamples).toBe(Math.round(ideal));
  });

  it('re-encodes a short stretch around each join, with its splice candidates on the right sides of the cut', () => {
    const plan = planSplices([clip(), clip(), clip()]);
    if (typeof plan === 'string') throw new Error(plan);
    plan.regions.forEach((region, r) => {
      const cutBlock = (plan.starts[r + 1] + 1024) / F;
      expect(region.stopCandidates).toHaveLength(SPLICE_CANDIDATES);
      // Copying stops at least one whole frame before the cut, and resumes after the next clip's own delay.
      region.stopCandidates.forEach((p) => expect(p + 1).toBeLessThanOrEqual(cutBlock));
      region.resumeCandidates.forEach((j) => expect(j * F).toBeGreaterThanOrEqual(1024));
      expect(region.endBlock - region.firstBlock).toBeLessThan(16);
      expect(region.beforeSamples + region.silence + region.afterSamples).toBe((region.endBlock - region.firstBlock) * F);
    });
  });

  it("fills with silence when a clip's sound ends before its picture", () => {
    // 470 000 samples of sound (461 frames with the delay and the encoder's flush) under 480 000 of picture.
    const plan = planSplices([clip({ length: 470_000, frames: 461 }), clip()]);
    if (typeof plan === 'string') throw new Error(plan);
    const [region] = plan.regions;
    expect(region.beforeSamples).toBeGreaterThan(0);
    expect(region.silence).toBe(plan.starts[1] - 470_000);
  });

  it('says why when the clips cannot be spliced this way', () => {
    expect(planSplices([clip(), clip({ frames: 6, length: 5_000, videoSamples: 5_000 }), clip()])).toMatch(/clip 2 is too short/);
    expect(planSplices([clip(), clip({ length: 200_000 })])).toMatch(/clip 2's sound ends before its picture/);
  });
});
