import { z } from 'zod';
import { baseConfigSchema, loadConfig, port, postgresUrl } from '@vrs/service-kit';

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_orchestrator'),
  HEALTH_PORT: port(3001),
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
});

export type OrchestratorConfig = z.infer<typeof schema>;
export const loadOrchestratorConfig = () => loadConfig(schema);
