import { uploadSecretKey, type UploadSpec } from '@vrs/contracts';
import { isTransientFault, retryWithBackoff, type OutboundPolicy, type RetryOptions } from '@vrs/net';
import { pushToCallerBucket, type OutputStorage } from '@vrs/storage';

/** Where a worker's finished output goes: the platform's storage under the job's key, and the caller's bucket when asked. */
export interface JobOutputs {
  /** `contentType`: of the output's video by default; a join's poster and thumbnails go beside it. */
  store(key: string, path: string, signal: AbortSignal, contentType?: string): Promise<void>;
  /** Opens the sealed credentials only for this call and uploads; answers the uploaded object's URL. */
  pushToCaller(path: string, upload: UploadSpec, jobId: string): Promise<string>;
}

export const JOB_OUTPUTS = Symbol('JOB_OUTPUTS');

/**
 * `JobOutputs` over a service's storage and outbound policy. With `storeRetry`, a transient storage
 * fault (a restart) is retried in place so finished work is not lost to it.
 */
export class StoredJobOutputs implements JobOutputs {
  /** Opens upload secrets sealed by the gateway (env UPLOAD_SECRET_KEY); read at start so a bad key fails early. */
  private readonly uploadKey = uploadSecretKey();

  constructor(
    private readonly storage: OutputStorage,
    private readonly policy: OutboundPolicy,
    private readonly storeRetry?: RetryOptions,
  ) {}

  async store(key: string, path: string, signal: AbortSignal, contentType = 'video/mp4'): Promise<void> {
    const put = () => this.storage.put(key, path, contentType);
    if (!this.storeRetry) return put();
    await retryWithBackoff(put, this.storeRetry, { isRetryable: isTransientFault, signal });
  }

  pushToCaller(path: string, upload: UploadSpec, jobId: string): Promise<string> {
    return pushToCallerBucket(path, upload, jobId, this.uploadKey, this.policy);
  }
}
