import { LocalOutputStorage } from './local-output-storage';
import type { OutputStorage } from './output-storage';
import { S3OutputStorage, type S3OutputStorageConfig } from './s3-output-storage';

export type OutputStorageConfig = { driver: 'local'; rootDir: string } | ({ driver: 's3' } & S3OutputStorageConfig);

/**
 * Reads STORAGE_DRIVER (local|s3, default local). local: STORAGE_LOCAL_ROOT (default .var/outputs).
 * s3: S3_ENDPOINT, S3_REGION (us-east-1), S3_BUCKET (vrs-outputs), S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY,
 * S3_FORCE_PATH_STYLE (true), S3_PART_SIZE_MB.
 */
export function outputStorageConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OutputStorageConfig {
  const driver = env.STORAGE_DRIVER ?? 'local';
  if (driver === 'local') return { driver, rootDir: env.STORAGE_LOCAL_ROOT ?? '.var/outputs' };
  if (driver !== 's3') throw new Error(`STORAGE_DRIVER is "${driver}"; set it to "local" or "s3".`);
  const missing = ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((name) => !env[name]);
  if (missing.length) throw new Error(`STORAGE_DRIVER=s3 needs ${missing.join(' and ')} to be set.`);
  return {
    driver,
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION ?? 'us-east-1',
    bucket: env.S3_BUCKET ?? 'vrs-outputs',
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
    partSize: env.S3_PART_SIZE_MB ? Number(env.S3_PART_SIZE_MB) * 1024 * 1024 : undefined,
  };
}

export function createOutputStorage(config: OutputStorageConfig = outputStorageConfigFromEnv()): OutputStorage {
  if (config.driver === 'local') return new LocalOutputStorage(config.rootDir);
  return new S3OutputStorage(config);
}
