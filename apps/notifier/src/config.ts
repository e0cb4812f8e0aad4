import { z } from 'zod';
import { DEV_UPLOAD_SECRET_KEY } from '@vrs/contracts';
import { baseConfigSchema, loadConfig, port, postgresUrl, type ServiceConfig } from '@vrs/service-kit';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_notifier'),
  HEALTH_PORT: port(3004),
  /** Must match the gateway's, so webhook bodies carry the same outputUrl as GET /jobs/:id. */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  OUTPUT_URL_SECRET: z.string().min(16).default('development-only-output-url-secret'),
  /** The gateway's master secret: each tenant's signing secret is derived from it. */
  WEBHOOK_SIGNING_MASTER_SECRET: z.string().min(16).default('development-only-webhook-master-secret'),
  /** The deployment key the orchestrator seals webhook targets with (the same value in every service). */
  UPLOAD_SECRET_KEY: z.string().min(16).default(DEV_UPLOAD_SECRET_KEY),
  /** How long a delivery is retried before it is given up. */
  WEBHOOK_RETRY_WINDOW_MS: ms(24 * 60 * 60 * 1000),
  WEBHOOK_INITIAL_BACKOFF_MS: ms(5_000),
  WEBHOOK_MAX_BACKOFF_MS: ms(60 * 60 * 1000),
  /** Limit of one attempt, connection to last byte. */
  WEBHOOK_TIMEOUT_MS: ms(10_000),
  /** Attempts in flight at once per instance. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Longest sleep of the scheduler between looks at the schedule (other instances add work too). */
  WEBHOOK_POLL_INTERVAL_MS: ms(1_000),
});

export type NotifierConfig = ServiceConfig<typeof schema>;
export const loadNotifierConfig = () => loadConfig(schema);
