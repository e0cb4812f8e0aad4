import { z } from 'zod';
import { baseConfigSchema, loadConfig, port, postgresUrl } from '@vrs/service-kit';

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_render'),
  HEALTH_PORT: port(3002),
});

export type RenderAdapterConfig = z.infer<typeof schema>;
export const loadRenderAdapterConfig = () => loadConfig(schema);
