import { openUploadSecret, SecretKeyError, type UploadSpec } from '@vrs/contracts';
import type { OutboundPolicy } from '@vrs/net';
import { CallerUploadError, uploadToCallerBucket } from './caller-upload';

/**
 * Pushes a finished output to the caller's bucket as `prefix + <jobId>.mp4` and returns its URL. The
 * secret (sealed in events) is opened only here, for this call; failures become one sentence that
 * names what to fix and no credential.
 */
export async function pushToCallerBucket(outputPath: string, upload: UploadSpec, jobId: string, key: Buffer, policy: OutboundPolicy): Promise<string> {
  try {
    return await uploadToCallerBucket(outputPath, openUploadSecret(upload, key), jobId, { policy });
  } catch (error) {
    const reason =
      error instanceof CallerUploadError || error instanceof SecretKeyError ? error.message : `an unexpected ${(error as Error).name ?? 'error'} occurred`; // its text could quote the request
    throw new Error(`The output could not be uploaded to your bucket: ${reason}`);
  }
}
