import { histogram, MEDIA_WORK_BUCKETS } from '@vrs/observability';

export const renderDuration = histogram({
  name: 'vrs_render_duration_seconds',
  help: 'Time the renderer took for one successful render (media prefetch and storing excluded), by driver.',
  labelNames: ['driver'] as const,
  buckets: MEDIA_WORK_BUCKETS,
});
