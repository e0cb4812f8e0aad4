import { integratedLoudness, MeterReading, parseMeterLog } from './loudness-meter';
import { clipGainSegments, firstLevel, nextGain, TRUE_PEAK_MARGIN_DB } from './loudness-plan';

/** Readings every 100 ms at a steady momentary loudness per stretch, like ebur128 gives. */
function readings(...stretches: Array<[seconds: number, lufs: number]>): MeterReading[] {
  const out: MeterReading[] = [];
  let t = 0;
  for (const [seconds, lufs] of stretches) {
    for (let i = 0; i < Math.round(seconds * 10); i++) out.push({ endSec: Number((t += 0.1).toFixed(3)), momentaryLufs: lufs, truePeak: 0.1 });
  }
  return out;
}

const shape = { sampleRate: 48000, channels: 2, samples: 12 * 48000, startSec: 0 };

describe('integratedLoudness (BS.1770 gating)', () => {
  it('drops blocks 10 LU below the mean of the audible ones, and everything under -70 LUFS', () => {
    expect(integratedLoudness(readings([4, -20], [4, -40]))).toBeCloseTo(-20, 6);
    // The first 300 ms hold no whole 400 ms block (ebur128 reads them as silence): 37 blocks at -20, 40 at -25.
    expect(integratedLoudness(readings([4, -20], [4, -25]))).toBeCloseTo(-20 + 10 * Math.log10((37 + 40 * 10 ** -0.5) / 77), 6);
    expect(integratedLoudness(readings([4, -80]))).toBe(-Infinity);
  });

  it('measures a stretch from the blocks wholly inside it', () => {
    const r = readings([6, -24], [6, -13]);
    expect(integratedLoudness(r, 0, 6)).toBeCloseTo(-24, 6);
    expect(integratedLoudness(r, 6, 12)).toBeCloseTo(-13, 6);
  });
});

describe('parseMeterLog', () => {
  it("reads the momentary loudness and true peak of each frame behind ffmpeg's log prefixes", () => {
    const log = [
      '[Parsed_ametadata_3 @ 0x55d1] frame:0    pts:0       pts_time:0',
      '[Parsed_ametadata_3 @ 0x55d1] lavfi.r128.M=-120.691',
      '[Parsed_ametadata_3 @ 0x55d1] lavfi.r128.I=-70.000',
      '[Parsed_ametadata_3 @ 0x55d1] lavfi.r128.true_peaks_ch0=0.099',
      '[Parsed_ametadata_3 @ 0x55d1] lavfi.r128.true_peak=0.099',
      '[Parsed_ametadata_3 @ 0x55d1] frame:1    pts:4800    pts_time:0.1',
      '[Parsed_ametadata_3 @ 0x55d1] lavfi.r128.M=-24.049',
      '[Parsed_ametadata_3 @ 0x55d1] lavfi.r128.true_peak=0.354',
    ];
    expect(parseMeterLog(log)).toEqual([
      { endSec: 0.1, momentaryLufs: -120.691, truePeak: 0.099 },
      { endSec: expect.closeTo(0.2, 9), momentaryLufs: -24.049, truePeak: 0.354 },
    ]);
  });
});

describe('clipGainSegments', () => {
  const clips = [
    { startSec: 0, durationSec: 6 },
    { startSec: 6, durationSec: 6 },
  ];

  it('raises the quiet clip and lowers the loud one to the loudness of the whole, the lower gain around the cut', () => {
    const r = readings([6, -24], [6, -13]);
    const whole = integratedLoudness(r);
    const segments = clipGainSegments(r, clips, shape)!;
    expect(segments.map((s) => [s.fromDb, s.toDb])).toEqual([
      [whole + 24, whole + 24],
      [expect.closeTo(whole + 13, 9), expect.closeTo(whole + 13, 9)],
    ]);
    // The copy join may start the loud clip's sound up to half an AAC frame before its picture.
    expect(segments[0].samples).toBeLessThanOrEqual(6 * 48000 - 512);
    expect(segments.reduce((sum, s) => sum + s.samples, 0)).toBe(shape.samples);
  });

  it('measures each clip where it sounds alone and glides the gain across a crossfade, where both sound', () => {
    // The overlap (5..6 s) holds both clips' sound, louder than the quiet one alone.
    const r = readings([5, -24], [1, -12], [5, -13]);
    const overlapping = [
      { startSec: 0, durationSec: 6 },
      { startSec: 5, durationSec: 6 },
    ];
    const segments = clipGainSegments(r, overlapping, { ...shape, samples: 11 * 48000 })!;
    expect(segments).toHaveLength(3);
    expect(segments[0].fromDb - segments[2].fromDb).toBeCloseTo(11, 6);
    expect(segments[1]).toMatchObject({ samples: 48000, fromDb: segments[0].fromDb, toDb: segments[2].fromDb });
  });

  it('leaves clips already within half a LU of each other alone, and never lifts a silent clip', () => {
    expect(clipGainSegments(readings([6, -16], [6, -16.3]), clips, shape)).toBeUndefined();
    const three = [...clips, { startSec: 12, durationSec: 6 }];
    const withSilence = clipGainSegments(readings([6, -90], [6, -24], [6, -13]), three, { ...shape, samples: 18 * 48000 })!;
    expect(withSilence[0].fromDb).toBe(0);
    expect(withSilence[withSilence.length - 1].fromDb).toBeLessThan(0);
  });

  it('raises a very quiet clip by at most 20 dB', () => {
    const segments = clipGainSegments(readings([6, -60], [6, -10]), clips, shape)!;
    expect(segments[0].fromDb).toBe(20);
  });
});

describe('level stage', () => {
  it('is a plain gain when the peaks stay under the ceiling (less the AAC margin), else a limited one', () => {
    expect(firstLevel({ integratedLufs: -20, truePeakDb: -10 }, { integrated: -16, truePeak: -1 })).toEqual({ gainDb: 4 });
    expect(firstLevel({ integratedLufs: -20, truePeakDb: -4.8 }, { integrated: -16, truePeak: -1 })).toEqual({ gainDb: 4, limitDb: -1 - TRUE_PEAK_MARGIN_DB });
  });

  it('adds the whole shortfall after one try, then follows the secant of the last two', () => {
    expect(nextGain([{ gainDb: 10, integratedLufs: -17.5 }], -16)).toBeCloseTo(11.5, 9);
    // +2 dB of gain gave +0.5 LU: the next step assumes a quarter of a LU per dB.
    expect(
      nextGain(
        [
          { gainDb: 10, integratedLufs: -17.5 },
          { gainDb: 12, integratedLufs: -17 },
        ],
        -16,
      ),
    ).toBeCloseTo(16, 9);
    // A try that got quieter (noise in the measure) never sends the gain the wrong way.
    expect(
      nextGain(
        [
          { gainDb: 10, integratedLufs: -17 },
          { gainDb: 11, integratedLufs: -17.1 },
        ],
        -16,
      ),
    ).toBeGreaterThan(11);
  });
});
