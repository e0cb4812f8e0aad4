import type { Provider } from '@nestjs/common';
import { CancellationWatcher, RunningJobs } from '@vrs/messaging';
import { OUTBOUND_POLICY, outboundPolicyFromEnv, type OutboundPolicy, type RetryOptions } from '@vrs/net';
import { createOutputStorage, OUTPUT_STORAGE, type OutputStorage } from '@vrs/storage';
import { CancellableWork, LONG_WORK } from './cancellable-work';
import { JOB_OUTPUTS, StoredJobOutputs } from './job-outputs';
import { workDirsProvider } from './work-dirs';

/**
 * What a worker service (stitcher, render adapter) runs its long jobs with: cancellable work in
 * folders of its own under `workDir` (LONG_WORK), the outbound policy, and the platform's storage
 * for the results (JOB_OUTPUTS; `storeRetry`: transient storage faults retried in place).
 */
export function workerProviders(workDir: string, storeRetry?: RetryOptions): Provider[] {
  return [
    { provide: OUTPUT_STORAGE, useFactory: () => createOutputStorage() },
    { provide: OUTBOUND_POLICY, useValue: outboundPolicyFromEnv() },
    RunningJobs,
    workDirsProvider(workDir),
    CancellableWork,
    CancellationWatcher,
    { provide: LONG_WORK, useExisting: CancellableWork },
    {
      provide: JOB_OUTPUTS,
      inject: [OUTPUT_STORAGE, OUTBOUND_POLICY],
      useFactory: (storage: OutputStorage, policy: OutboundPolicy) => new StoredJobOutputs(storage, policy, storeRetry),
    },
  ];
}
