import { z } from 'zod';
import { baseConfigSchema, loadConfig, port, postgresUrl } from '@vrs/service-kit';

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_orchestrator'),
  HEALTH_PORT: port(3001),
  /** Where the gateway serves stored outputs: rendered clips reach the stitcher and renderer as signed URLs under it. */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** The gateway's output URL signing secret (the same value). */
  OUTPUT_URL_SECRET: z.string().min(16).default('development-only-output-url-secret'),
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
});

export type OrchestratorConfig = z.infer<typeof schema>;
export const loadOrchestratorConfig = () => loadConfig(schema);
