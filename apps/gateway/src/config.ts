import { join } from 'node:path';
import { z } from 'zod';
import { DEV_UPLOAD_SECRET_KEY, MAX_JOIN_ASSETS, UPLOAD_LIMITS } from '@vrs/contracts';
import { baseConfigSchema, loadConfig, port, postgresUrl, type ServiceConfig } from '@vrs/service-kit';

const schema = baseConfigSchema.extend({
  DATABASE_URL: postgresUrl('vrs_gateway'),
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Base of the URLs handed to users (outputUrl); defaults to this gateway's own address. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Base of the signed URLs through which the stitcher and render-adapter read source uploads; defaults to PUBLIC_BASE_URL. */
  INTERNAL_BASE_URL: z.string().url().optional(),
  /** Signs output URLs so they can be opened without a token; set a long random value in production. */
  OUTPUT_URL_SECRET: z.string().min(16).default('development-only-output-url-secret'),
  /** Master secret from which each tenant's webhook signing secret is derived (the notifier shares it). */
  WEBHOOK_SIGNING_MASTER_SECRET: z.string().min(16).default('development-only-webhook-master-secret'),
  /** Seals upload credentials inside Kafka events (AES-256-GCM); the orchestrator and stitcher share it. */
  UPLOAD_SECRET_KEY: z.string().min(16).default(DEV_UPLOAD_SECRET_KEY),
  /** Enables POST /admin/tenants when set. */
  ADMIN_TOKEN: z.string().min(16).optional(),
  /** May lower, never raise, the contract's ceiling: join.requested (the Kafka entry) holds the same one. */
  MAX_JOIN_ASSETS: z.coerce.number().int().min(1).max(MAX_JOIN_ASSETS).default(MAX_JOIN_ASSETS),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
  /** Failed authentications per client address and window before it gets 429s until the window ends. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Which proxies' X-Forwarded-For to believe for the client address (Express "trust proxy"): unset = none. */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d+|[\w.:/, -]+)$/, 'a hop count or comma-separated addresses/CIDRs/loopback,linklocal,uniquelocal')
    .optional(),
  MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(UPLOAD_LIMITS.maxBytes),
  UPLOAD_EXPIRY_SECONDS: z.coerce.number().int().min(1).default(UPLOAD_LIMITS.expirySeconds),
  /** How often expired uploads (object and record) are deleted. */
  UPLOAD_CLEANUP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** The built dashboard served at /app (scripts/build-dashboard.ts writes dist/apps/dashboard). */
  DASHBOARD_DIR: z
    .string()
    .min(1)
    .default(join(__dirname, '..', '..', 'dashboard')),
});

export type GatewayConfig = ServiceConfig<typeof schema> & { publicBaseUrl: string; internalBaseUrl: string };

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(schema, env);
  const publicBaseUrl = (config.PUBLIC_BASE_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`).replace(/\/$/, '');
  return { ...config, publicBaseUrl, internalBaseUrl: config.INTERNAL_BASE_URL?.replace(/\/$/, '') ?? publicBaseUrl };
}
