import { z } from 'zod';
import { DEFAULT_CANCELLED_JOBS_TTL_HOURS, parseKafkaConnection, type KafkaConnection } from '@vrs/messaging';

export class ConfigError extends Error {}

/**
 * Settings every service shares; each service extends this with its own. The Kafka settings
 * (KAFKA_BROKERS, KAFKA_SSL*, KAFKA_SASL*) are read by libs/messaging's parser and arrive as `kafka`.
 */
export const baseConfigSchema = z.object({
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /**
   * After SIGTERM, how long the service keeps working while /health/ready says 503, so load
   * balancers and Kubernetes endpoints stop sending to it before it closes (part of SHUTDOWN_TIMEOUT_MS).
   */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
});

/** A service's settings: its schema's values plus the Kafka connection. */
export type ServiceConfig<S extends z.ZodType> = z.infer<S> & { kafka: KafkaConnection };

export type BaseConfig = ServiceConfig<typeof baseConfigSchema>;

/**
 * For workers' hand-offs (fetching a clip or a layer's media, storing the output): retries of a
 * transient fault (connection refused, a breaker open, 5xx, a timeout) with backoff from 1 s doubling
 * up to TRANSIENT_RETRY_MAX_DELAY_MS. The defaults wait about 38-75 s in all: longer than a circuit
 * breaker stays open (BREAKER_RESET_MS, 30 s) and than a service takes to restart.
 */
/** The worker services' record of cancels (libs/messaging CancellationWatcher), in hours: a week by default, as the orchestrator keeps its tombstones. */
export const cancelledJobsFields = {
  CANCELLED_JOBS_TTL_HOURS: z.coerce.number().min(1).default(DEFAULT_CANCELLED_JOBS_TTL_HOURS),
};

export const transientRetryFields = {
  TRANSIENT_RETRIES: z.coerce.number().int().min(0).max(50).default(8),
  TRANSIENT_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /**
   * A caller's own URL gets only a short retry (about 3 s): a worker waits out the platform's own peers
   * restarting, but a user's host that refuses connections must not hold a stitch slot for a minute.
   */
  SOURCE_URL_RETRIES: z.coerce.number().int().min(0).max(50).default(2),
};

type RetrySettings = { TRANSIENT_RETRIES: number; TRANSIENT_RETRY_MAX_DELAY_MS: number; SOURCE_URL_RETRIES: number };

export function transientRetry(config: RetrySettings) {
  return { retries: config.TRANSIENT_RETRIES, baseDelayMs: 1_000, maxDelayMs: config.TRANSIENT_RETRY_MAX_DELAY_MS };
}

export function sourceUrlRetry(config: RetrySettings) {
  return { retries: config.SOURCE_URL_RETRIES, baseDelayMs: 1_000, maxDelayMs: 2_000 };
}

export const postgresUrl = (database: string) =>
  z
    .string()
    .default(`postgres://postgres@127.0.0.1:5432/${database}`)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * Reads and validates configuration from the environment at start; a bad value stops the
 * service with a message naming the variable, never a late failure.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): ServiceConfig<S> {
  const kafka = parseKafkaConnection(env);
  const result = schema.safeParse(env);
  const problems = [...kafka.problems, ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))];
  if (problems.length > 0 || !result.success || !kafka.connection) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return { ...(result.data as object), kafka: kafka.connection } as ServiceConfig<S>;
}
