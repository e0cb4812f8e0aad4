import { z } from 'zod';
import { baseConfigSchema, cancelledJobsFields, loadConfig, port, postgresUrl, transientRetryFields, type ServiceConfig } from '@vrs/service-kit';

const schema = baseConfigSchema
  .extend({
    DATABASE_URL: postgresUrl('vrs_render'),
    HEALTH_PORT: port(3002),
    WORK_DIR: z.string().default('.var/work/render-adapter'),
    /** Renders run at once by one instance (each is one ffmpeg, or one farm job being watched). */
    RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
    /** Limit for one render attempt; the attempt is stopped when it passes. */
    RENDER_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(10 * 60_000),
    /** Attempts after the first one for failures that may pass (not for bad input). */
    RENDER_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    RENDER_RETRY_INITIAL_MS: z.coerce.number().int().positive().default(1_000),
    ...transientRetryFields,
    ...cancelledJobsFields,
    MAX_MEDIA_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 ** 3),
    /** How long a render waits for its template to arrive from the gateway's catalogue. */
    TEMPLATE_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
    /** The nexrender server of an After Effects farm; templates with driver "nexrender" need it. */
    NEXRENDER_URL: z.string().url().optional(),
    NEXRENDER_SECRET: z.string().min(1).optional(),
    /** A directory the farm's workers and this service both mount; workers copy results there. */
    NEXRENDER_SHARED_DIR: z.string().min(1).optional(),
    NEXRENDER_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  })
  .refine((c) => !c.NEXRENDER_URL || (c.NEXRENDER_SECRET && c.NEXRENDER_SHARED_DIR), {
    message: 'NEXRENDER_SECRET and NEXRENDER_SHARED_DIR are required with NEXRENDER_URL',
    path: ['NEXRENDER_URL'],
  });

export type RenderAdapterConfig = ServiceConfig<typeof schema>;
export const loadRenderAdapterConfig = () => loadConfig(schema);
