import type { StitchReport } from '@vrs/media';
import { histogram, MEDIA_WORK_BUCKETS } from '@vrs/observability';

/** The stitching engine's two ways of joining (StitchReport.method). */
export const STITCH_METHODS = ['copy-join', 'general'] as const satisfies ReadonlyArray<StitchReport['method']>;

export const stitchDuration = histogram({
  name: 'vrs_stitch_duration_seconds',
  help: 'Time the stitching engine took for one successful stitch (probe, normalise, join, verify; downloads and storing excluded), by join method.',
  labelNames: ['method'] as const,
  buckets: MEDIA_WORK_BUCKETS,
});
// Both methods' series exist from the start, so rate() and increase() see the first stitch of each.
for (const method of STITCH_METHODS) stitchDuration.zero({ method });
