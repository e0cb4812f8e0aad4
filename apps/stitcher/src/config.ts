import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { baseConfigSchema, cancelledJobsFields, loadConfig, port, postgresUrl, transientRetryFields, type ServiceConfig } from '@vrs/service-kit';

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_stitcher'),
  HEALTH_PORT: port(3003),
  WORK_DIR: z.string().default('.var/work/stitcher'),
  /**
   * Jobs stitched at once by one instance, whatever partitions they come from (the consumer's capacity).
   * Copy joins mostly wait on downloads and the disk, so several share the cores; encodes are bounded below.
   */
  STITCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Clip normalisations (ffmpeg encodes) at once in one instance, across all its jobs: the CPU budget. */
  NORMALISE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  DOWNLOAD_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(8),
  MAX_CLIP_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  DOWNLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  ...transientRetryFields,
  ...cancelledJobsFields,
  OUTPUT_MAX_WIDTH: z.coerce.number().int().min(16).max(7680).default(1920),
  OUTPUT_MAX_HEIGHT: z.coerce.number().int().min(16).max(4320).default(1080),
});

export type StitcherConfig = ServiceConfig<typeof schema>;
export const loadStitcherConfig = () => loadConfig(schema);
