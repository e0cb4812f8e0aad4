import { z } from 'zod';
import { baseConfigSchema, loadConfig, port, postgresUrl, type ServiceConfig } from '@vrs/service-kit';

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
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
});

export type OrchestratorConfig = ServiceConfig<typeof schema> & { publicOutputBaseUrl: string };

export function loadOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const config = loadConfig(schema, env);
  return { ...config, publicOutputBaseUrl: (config.PUBLIC_OUTPUT_BASE_URL ?? config.PUBLIC_BASE_URL).replace(/\/$/, '') };
}
