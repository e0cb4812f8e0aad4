import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Marks a value sealed by `sealSecret`; anything else is clear text (outside producers may send it). */
export const SEALED_PREFIX = 'enc:v1:';
export const DEV_UPLOAD_SECRET_KEY = 'development-only-upload-secret-key';

export class SecretKeyError extends Error {}

/**
 * The deployment key that seals secrets inside Kafka events (env UPLOAD_SECRET_KEY): upload credentials
 * (gateway, orchestrator, render-adapter, stitcher) and webhook targets (orchestrator, notifier). Any long
 * passphrase: it is stretched to 256 bits with SHA-256.
 */
export function uploadSecretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const passphrase = env.UPLOAD_SECRET_KEY || DEV_UPLOAD_SECRET_KEY;
  if (passphrase.length < 16) throw new SecretKeyError('UPLOAD_SECRET_KEY must be at least 16 characters long.');
  return createHash('sha256').update(passphrase).digest();
}

export const isSealed = (value: string) => value.startsWith(SEALED_PREFIX);

/** An event field that must only ever travel sealed. */
export const sealedValue = z.string().max(64_000).refine(isSealed, `must be sealed (${SEALED_PREFIX}…)`);

/** AES-256-GCM: `enc:v1:` + base64url(iv ‖ tag ‖ ciphertext). Sealing a sealed value returns it unchanged. */
export function sealSecret(value: string, key: Buffer): string {
  if (isSealed(value)) return value;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The clear text of a sealed value; clear text passes through. Throws SecretKeyError on a wrong key or tampering. */
export function openSecret(value: string, key: Buffer): string {
  if (!isSealed(value)) return value;
  const raw = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError('The upload credentials could not be decrypted: UPLOAD_SECRET_KEY differs between the services.');
  }
}

/** The same upload object with its access key secret sealed (the shape every event with `upload` carries). */
export function sealUploadSecret<U extends { params: { accessKeySecret: string } }>(upload: U, key: Buffer): U {
  return { ...upload, params: { ...upload.params, accessKeySecret: sealSecret(upload.params.accessKeySecret, key) } };
}

export function openUploadSecret<U extends { params: { accessKeySecret: string } }>(upload: U, key: Buffer): U {
  return { ...upload, params: { ...upload.params, accessKeySecret: openSecret(upload.params.accessKeySecret, key) } };
}
