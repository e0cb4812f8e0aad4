import { z } from 'zod';
import { baseConfigSchema, loadConfig, port, postgresUrl, type ServiceConfig } from '@vrs/service-kit';
import type { DeadlineLimits } from './domain/deadlines';

const seconds = (fallback: number) => z.coerce.number().min(0).max(86_400).default(fallback);

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_orchestrator'),
  HEALTH_PORT: port(3001),
  /** Where the gateway serves stored outputs: rendered clips reach the stitcher and renderer as signed URLs under it. */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** The gateway's output URL signing secret (the same value). */
  OUTPUT_URL_SECRET: z.string().min(16).default('development-only-output-url-secret'),
  /**
   * The gateway's public address (its PUBLIC_BASE_URL): base of the outputUrl in job.status-changed, which
   * other systems read. Defaults to PUBLIC_BASE_URL, right when that is the public address too.
   */
  PUBLIC_OUTPUT_BASE_URL: z.string().url().optional(),
  /** How long a Kafka job request waits for its tenant to arrive from the gateway (tenant.changed) before it is dead-lettered. */
  TENANT_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Deadlines: how long each piece of work may take before it is asked for again, then ended in error. */
  JOB_DEADLINE_STITCH_BASE_SEC: seconds(300),
  JOB_DEADLINE_STITCH_PER_CLIP_SEC: seconds(60),
  JOB_DEADLINE_RENDER_BASE_SEC: seconds(300),
  JOB_DEADLINE_RENDER_PER_ASSET_SEC: seconds(30),
  JOB_DEADLINE_RENDER_PER_FRAME_SEC: seconds(1),
  JOB_DEADLINE_RENDER_FULL_FRAMES: z.coerce.number().int().min(1).default(900),
  JOB_REDRIVE_LIMIT: z.coerce.number().int().min(0).max(10).default(2),
  JOB_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  JOB_CANCEL_TOMBSTONE_TTL_HOURS: z.coerce.number().min(1).default(168),
});

export type OrchestratorConfig = ServiceConfig<typeof schema> & { publicOutputBaseUrl: string };

export function loadOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const config = loadConfig(schema, env);
  return { ...config, publicOutputBaseUrl: (config.PUBLIC_OUTPUT_BASE_URL ?? config.PUBLIC_BASE_URL).replace(/\/$/, '') };
}

export interface ReconcilerSettings {
  intervalMs: number;
  tombstoneTtlHours: number;
}

export const deadlineLimits = (config: OrchestratorConfig): DeadlineLimits => ({
  stitchBaseSec: config.JOB_DEADLINE_STITCH_BASE_SEC,
  stitchPerClipSec: config.JOB_DEADLINE_STITCH_PER_CLIP_SEC,
  renderBaseSec: config.JOB_DEADLINE_RENDER_BASE_SEC,
  renderPerAssetSec: config.JOB_DEADLINE_RENDER_PER_ASSET_SEC,
  renderPerFrameSec: config.JOB_DEADLINE_RENDER_PER_FRAME_SEC,
  renderFullFrames: config.JOB_DEADLINE_RENDER_FULL_FRAMES,
  redriveLimit: config.JOB_REDRIVE_LIMIT,
});

export const reconcilerSettings = (config: OrchestratorConfig): ReconcilerSettings => ({
  intervalMs: config.JOB_RECONCILE_INTERVAL_MS,
  tombstoneTtlHours: config.JOB_CANCEL_TOMBSTONE_TTL_HOURS,
});
