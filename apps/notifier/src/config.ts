import { z } from 'zod';
import { baseConfigSchema, loadConfig, port, postgresUrl } from '@vrs/service-kit';

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_notifier'),
  HEALTH_PORT: port(3004),
});

export type NotifierConfig = z.infer<typeof schema>;
export const loadNotifierConfig = () => loadConfig(schema);
