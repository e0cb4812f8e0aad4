import { histogram, MEDIA_WORK_BUCKETS } from '@vrs/observability';

export const stitchDuration = histogram({
  name: 'vrs_stitch_duration_seconds',
  help: 'Time the stitching engine took for one successful stitch (probe, normalise, join, verify; downloads and storing excluded), by join method.',
  labelNames: ['method'] as const,
  buckets: MEDIA_WORK_BUCKETS,
});
